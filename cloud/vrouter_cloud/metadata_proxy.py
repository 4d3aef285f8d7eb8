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

"""The metadata service at 169.254.169.254, as the vRouter proxies it.

The vRouter agent answers its VMs' requests to 169.254.169.254 and passes
them to Nova's metadata API with the instance's id, signed with the
secret both share (``[neutron] metadata_proxy_shared_secret``), as
Neutron's metadata proxy does.  Here each router's namespace holds that
address, with a proxy listening there that finds the instance by the
request's source address among the ports of that router's networks
(fixed IPs of different networks may be the same).
GET and HEAD, and POST for the guest's password.
"""

import hashlib
import hmac
import http.server
import logging
import socketserver
import threading
import urllib.error
import urllib.request

from vrouter_cloud import netns

LOG = logging.getLogger(__name__)


def signature(secret, instance_id):
    """Nova's X-Instance-ID-Signature of an instance id."""
    return hmac.new(secret.encode(), instance_id.encode(),
                    hashlib.sha256).hexdigest()


# The largest request body the proxy passes on: Nova takes 256 bytes of
# password; anything much larger is no guest's metadata request.
MAX_BODY = 64 * 1024


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class MetadataProxy(object):
    """Proxies guests' metadata requests to Nova's metadata API.

    :param address: where to listen (port 80)
    :param upstream: Nova's metadata API, ``http://host:port``
    :param secret: the shared secret
    :param port_of: a callable: source IP -> (instance id, project id), or
        None for an address that is no server's
    :param namespace: the network namespace to listen in (None: the
        caller's)
    """

    def __init__(self, address, upstream, secret, port_of, port=80,
                 namespace=None):
        self.upstream = upstream.rstrip('/')
        self.secret = secret
        self.port_of = port_of
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_GET(self):
                proxy._forward(self, 'GET')

            def do_HEAD(self):
                proxy._forward(self, 'HEAD')

            def do_POST(self):
                # A guest posts its encrypted password (at most 256 bytes
                # at Nova): the body goes upstream as it came.
                proxy._forward(self, 'POST')

            def log_message(self, fmt, *args):
                LOG.info('metadata %s: ' + fmt, self.client_address[0],
                         *args)

        if namespace is None:
            self._server = _Server((address, port), Handler)
        else:
            self._server = _Server((address, port), Handler,
                                   bind_and_activate=False)
            self._server.socket.close()
            self._server.socket = netns.tcp_listener(namespace, address,
                                                     port)
            self._server.server_address = self._server.socket.getsockname()
        self.namespace = namespace
        self._thread = None

    @property
    def port(self):
        return self._server.server_address[1]

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        daemon=True, name='metadata-proxy')
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, handler, method):
        source = handler.client_address[0]
        owner = self.port_of(source)
        if owner is None:
            self._answer(handler, 404, b'no server has this address\n')
            return
        instance_id, project_id = owner
        headers = {
            'X-Forwarded-For': source,
            'X-Instance-ID': instance_id,
            'X-Tenant-ID': project_id,
            'X-Instance-ID-Signature': signature(self.secret, instance_id)}
        body = None
        if method == 'POST':
            length = int(handler.headers.get('Content-Length') or 0)
            if not 0 <= length <= MAX_BODY:
                # The body stays unread: nothing more can come over this
                # connection.
                handler.close_connection = True
                self._answer(handler, 413, b'request body too large\n')
                return
            body = handler.rfile.read(length)
            headers['Content-Type'] = handler.headers.get(
                'Content-Type', 'application/octet-stream')
        request = urllib.request.Request(
            self.upstream + handler.path, data=body, method=method,
            headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                self._answer(handler, answer.status, answer.read(),
                             answer.headers.get('Content-Type'))
        except urllib.error.HTTPError as exc:
            self._answer(handler, exc.code, exc.read(),
                         exc.headers.get('Content-Type'))
        except OSError as exc:
            LOG.warning('metadata for %s: %s', source, exc)
            self._answer(handler, 502, b'metadata service unreachable\n')

    @staticmethod
    def _answer(handler, status, body, content_type=None):
        handler.send_response(status)
        handler.send_header('Content-Type',
                            content_type or 'text/plain; charset=UTF-8')
        handler.send_header('Content-Length', str(len(body)))
        handler.end_headers()
        if handler.command != 'HEAD':
            handler.wfile.write(body)
