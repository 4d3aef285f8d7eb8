# Copyright 2026 The os-vif-vrouter authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.


"""Nova's metadata API as far as the proxy can tell, and the proxy.

    python -m vrouter_cloud.tests.metadata_peer SEEN_FILE

Run in a process of its own by test_gateway_pieces (the test process has
eventlet's patched sockets once Neutron's modules are loaded there):
serves a stand-in of Nova's metadata API on an ephemeral loopback port,
which records each request's path and the headers the proxy adds in
SEEN_FILE (a JSON line each) and answers ``.../hostname`` only, and the
metadata proxy in front of it, which knows one server, at 127.0.0.1.
Prints the proxy's port, then serves until standard input closes.
"""

import http.server
import json
import sys
import threading

from vrouter_cloud import metadata_proxy

_HEADERS = ('X-Instance-ID', 'X-Tenant-ID', 'X-Forwarded-For',
            'X-Instance-ID-Signature')


def main():
    seen_file = sys.argv[1]

    class Upstream(http.server.BaseHTTPRequestHandler):

        def do_GET(self):
            seen = [self.path, dict((name, self.headers.get(name))
                                    for name in _HEADERS)]
            with open(seen_file, 'a') as f:
                f.write(json.dumps(seen) + '\n')
            body = (b'server-1.novalocal' if self.path.endswith('hostname')
                    else b'')
            self.send_response(200 if body else 404)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers['Content-Length']))
            seen = [self.path, body.decode(), self.headers['Content-Type']]
            with open(seen_file, 'a') as f:
                f.write(json.dumps(seen) + '\n')
            self.send_response(200)
            self.send_header('Content-Length', '0')
            self.end_headers()

        def log_message(self, *args):
            pass

    upstream = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    owners = {'127.0.0.1': ('instance-uuid', 'project-uuid')}
    proxy = metadata_proxy.MetadataProxy(
        '127.0.0.1', 'http://127.0.0.1:%d' % upstream.server_port,
        'the-secret', owners.get, port=0)
    proxy.start()
    print(proxy.port, flush=True)
    sys.stdin.read()
    proxy.stop()
    upstream.shutdown()
    return 0


if __name__ == '__main__':
    sys.exit(main())
