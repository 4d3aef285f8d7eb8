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

"""A stand-in for the vRouter agent's REST port API and port files.

For tests and benchmarks: a threaded HTTP/1.1 server on 127.0.0.1 (an
ephemeral port, reserved for the stand-in's whole life) that does what
the agent does (docs: ``doc/source/admin/agent-port-api.rst``; source:
the agent's ``port_ipc/rest_server.cc``, ``rest_common.cc`` and
``port_ipc_handler.cc``), so that the plugin is tested against the
agent's rules and not against our own idea of them.  It never accepts what
the agent would refuse; where the agent silently accepts garbage (a
malformed UUID becomes the nil UUID) it refuses, and says so below.

HTTP
  - Every answer has the reason text ``OK`` whatever the code,
    ``Content-Type: application/json; charset=UTF-8`` and a
    ``Content-Length``; connections are kept alive (HTTP/1.1).
  - 200 ``{}`` on success; errors are 500 ``{"error":"{ <message> }"}``;
    an unknown path or method is 404 ``{"error":"Unknown Request"}``.
  - UUIDs in paths match lower-case ``8-4-4-4-12`` hex only (else 404).

Endpoints
  - ``POST /port``: one port (a JSON object) or several (an array).  An
    array is all or none: if any element is refused none is added, and
    (as the agent does, AddPortFromJson) the answer is still 200 ``{}``.
  - ``DELETE /port/<uuid>``: forget the port and delete its file; 200
    ``{}`` also for an unknown port.
  - ``GET /port/<uuid>``: 404 ``{"error":"{ Not Found }"}`` until the port
    is known, then its JSON.
  - ``PUT /enable-port/<uuid>``, ``PUT /disable-port/<uuid>``: the link
    state of an ESXi port (type 2); 500 for an unknown or non-ESXi port.
  - ``POST /syncports``: ports not added again within ``stale_timeout``
    seconds are deleted, with their files.

Port-add checks, in the agent's order, with its messages
  ``id``, ``instance-id``, ``vn-id``, ``vm-project-id`` (strings: "Invalid
  or missing data for <key>"), ``display-name``, ``ip-address``,
  ``ip6-address`` (strings), ``type`` (int), the VN of a VM port must not
  be the nil UUID ("Invalid VN uuid"), ``system-name`` (string),
  ``mac-address`` (string, ``xx:xx:xx:xx:xx:xx``, not all zeros: "Invalid
  MAC, Use xx:xx:xx:xx:xx:xx format"), ``rx-vlan-id``, ``tx-vlan-id``
  (ints); "Invalid or missing field for <key>" otherwise.  Exact JSON
  types: ``true`` is not an int, ``1.0`` is not an int, ``null`` is
  nothing.  Stricter than the agent: ``id`` and ``instance-id`` must be
  UUIDs, ``vn-id`` a UUID (a malformed one is the nil UUID, as at the
  agent), ``vm-project-id`` a UUID or ``""``; ``vhostuser-mode`` and
  ``link-state``, optional, must be ints when present; ``author`` and
  ``time`` are mandatory strings (the spec's rule; the agent ignores them).

State
  - Re-adding a port the stand-in has for the same ``instance-id`` only
    bumps its version: nothing else is applied (a new tap name, IP or MAC
    needs a DELETE first).  A different ``instance-id`` replaces the port
    (delete then add).
  - On add, the port file is written (the request's JSON) only if absent,
    before the port is added: a file that cannot be created refuses the
    port (500, "Writing of Json string to file failed for <id>"); a write
    that fails after (a full disk) is not checked, as the agent does not
    check its stream: the port is added and its file stays empty or
    short.  On DELETE and stale cleanup the file is deleted.
  - On start, every UUID-named regular file of the port directory is
    replayed as an add, without writing; a file that does not parse or is
    refused is skipped, and (``check_devices``) so is a non-ESXi port whose
    ``system-name`` device does not exist at that moment: skipped for
    good, never retried.  ``device_exists`` is the hook for that check
    (default: ``/sys/class/net/<name>`` exists).

Switches
  - ``start(delay)``: the listener opens after delay seconds (until then,
    connection refused), after the replay.
  - ``stop()`` / ``restart(delay)``: the listener closes and open
    connections are cut; the stand-in forgets its ports (an agent restart
    does), the port directory stays.
  - ``set_delay(seconds)``: answer every request that late.
  - ``set_fail_mode('error' | 'reset' | None)``: answer 500 to everything,
    or reset the connection without answering.
  - ``drop_connections()``: close the kept-alive connections.

Example::

    with AgentStandIn(port_dir) as agent:
        agent.start()
        client = AgentClient(port=agent.port)

As a process of its own (for callers that cannot run its threads, such as
an eventlet-patched Nova test, and for trying the plugin by hand)::

    python -m vrouter_testing.agent_stand_in [--port PORT] PORT_DIR

prints ``listening <port>`` once the listener is open and serves until
SIGTERM or SIGINT.
"""

import argparse
import http.server
import json
import os
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import urllib.parse

NIL_UUID = '00000000-0000-0000-0000-000000000000'
_PATH_UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'
_UUID_RE = re.compile(r'\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
                      r'[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')
_MAC_RE = re.compile(r'\A[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}\Z')
_INT32 = (-2 ** 31, 2 ** 31 - 1)

FAIL_ERROR = 'error'
FAIL_RESET = 'reset'

TYPE_NAMESPACE = 1
TYPE_ESXI = 2


class Refused(Exception):
    """A port-add the agent refuses; the message is the agent's."""


def _uuid_member(obj, key, strict=True):
    value = obj.get(key)
    if type(value) is not str:
        raise Refused('Invalid or missing data for <%s>' % key)
    if _UUID_RE.match(value):
        return value.lower()
    if strict:
        raise Refused('Invalid or missing data for <%s>' % key)
    return NIL_UUID  # what the agent's StringToUuid makes of it


def _string_member(obj, key):
    value = obj.get(key)
    if type(value) is not str:
        raise Refused('Invalid or missing field for <%s>' % key)
    return value


def _int_member(obj, key):
    value = obj.get(key)
    if type(value) is not int or not _INT32[0] <= value <= _INT32[1]:
        raise Refused('Invalid or missing field for <%s>' % key)
    return value


def check_port(obj):
    """Check a port-add object as the agent does (see the module doc).

    :returns: the object's port id (lower case)
    :raises: Refused with the agent's message
    """
    if not isinstance(obj, dict):
        raise Refused('Unexpected Json string')
    port_id = _uuid_member(obj, 'id')
    _uuid_member(obj, 'instance-id')
    vn_id = _uuid_member(obj, 'vn-id', strict=False)
    if obj.get('vm-project-id') != '':
        _uuid_member(obj, 'vm-project-id')
    for key in ('display-name', 'ip-address', 'ip6-address'):
        _string_member(obj, key)
    port_type = _int_member(obj, 'type')
    if port_type not in (TYPE_NAMESPACE, TYPE_ESXI) and vn_id == NIL_UUID:
        raise Refused('Invalid VN uuid')
    _string_member(obj, 'system-name')
    mac = _string_member(obj, 'mac-address')
    if not _MAC_RE.match(mac) or mac == '00:00:00:00:00:00':
        raise Refused('Invalid MAC, Use xx:xx:xx:xx:xx:xx format')
    _int_member(obj, 'rx-vlan-id')
    _int_member(obj, 'tx-vlan-id')
    for key in ('vhostuser-mode', 'link-state'):
        if key in obj:
            _int_member(obj, key)
    for key in ('author', 'time'):
        _string_member(obj, key)
    return port_id


def default_device_exists(name):
    return os.path.exists(os.path.join('/sys/class/net', name))


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, listener, stand_in):
        # bind_and_activate=False: the stand-in made and bound the socket.
        http.server.HTTPServer.__init__(
            self, listener.getsockname(), _Handler, bind_and_activate=False)
        self.socket.close()
        self.socket = listener
        self.stand_in = stand_in
        self.to_reset = set()

    def get_request(self):
        conn, address = self.socket.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, address

    def handle_error(self, request, client_address):
        # A client that resets its connection, or stop() cutting it, is
        # business as usual here, not a traceback on stderr.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)

    def shutdown_request(self, request):
        if request in self.to_reset:
            # SO_LINGER 0 and no shutdown(): close() sends a RST.
            self.to_reset.discard(request)
            self.close_request(request)
            return
        super().shutdown_request(request)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def setup(self):
        super().setup()
        self.server.stand_in._track(self.connection)

    def finish(self):
        self.server.stand_in._untrack(self.connection)
        super().finish()

    def log_message(self, format, *args):
        pass

    def __getattr__(self, name):
        # Every method reaches the router (an unknown one is a 404, as at
        # the agent, not http.server's 501).
        if name.startswith('do_'):
            return self._handle
        raise AttributeError(name)

    def _respond(self, status, body):
        data = body.encode('utf-8')
        head = ('HTTP/1.1 %d OK\r\n'
                'Content-Type: application/json; charset=UTF-8\r\n'
                'Content-Length: %d\r\n\r\n' % (status, len(data)))
        # One write: headers and body in one segment (no Nagle stall).
        self.wfile.write(head.encode('ascii') + data)

    def _handle(self):
        agent = self.server.stand_in
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        if not agent._wait_delay():
            self.close_connection = True  # stopped while waiting
            return
        mode = agent.fail_mode
        if mode == FAIL_RESET:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack('ii', 1, 0))
            self.server.to_reset.add(self.connection)
            self.close_connection = True
            return
        path = urllib.parse.urlsplit(self.path).path
        if mode == FAIL_ERROR:
            status, answer = 500, _error('Internal error (fail mode)')
        else:
            status, answer = agent._route(self.command, path, body)
        agent._log(self.command, path, status)
        self._respond(status, answer)


def _error(message, braces=True):
    if braces:
        message = '{ %s }' % message
    return json.dumps({'error': message}, separators=(',', ':'))


_OK = '{}'


class AgentStandIn(object):
    """The stand-in agent.  See the module docstring.

    :param port_dir: the port file directory (kept across restarts)
    :param device_exists: replay hook, name -> bool
    :param check_devices: skip replayed non-ESXi ports whose device is
        missing (the kernel-mode agent's behaviour)
    :param stale_timeout: seconds after POST /syncports before stale
        ports are deleted
    :param port: the TCP port to listen on (0: an ephemeral one)
    """

    def __init__(self, port_dir, host='127.0.0.1', device_exists=None,
                 check_devices=True, stale_timeout=60.0, port=0):
        self.port_dir = port_dir
        self.host = host
        self.device_exists = device_exists or default_device_exists
        self.check_devices = check_devices
        self.stale_timeout = stale_timeout
        self._lock = threading.RLock()
        self._ports = {}  # port id -> {'data', 'version', 'generation'}
        self._generation = 0
        self._stale_timer = None
        self._delay = 0.0
        self.fail_mode = None
        self._wake = threading.Event()  # set by stop(): ends the delays
        self._server = None
        self._serve_thread = None
        self._start_timer = None
        self._listening = threading.Event()
        self._connections = set()
        self.requests = []  # (method, path, status)
        self.replayed = []  # port ids added from files
        self.replay_skipped = []  # (file name, reason)
        # Bound but not listening: connections are refused, and no other
        # socket can take the port while the stand-in is stopped.
        self._hold = self._socket()
        self._hold.bind((host, port))
        self.port = self._hold.getsockname()[1]

    # Life cycle.

    @staticmethod
    def _socket():
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        return sock

    @property
    def address(self):
        return '%s:%d' % (self.host, self.port)

    @property
    def listening(self):
        return self._listening.is_set()

    def start(self, delay=0.0):
        """Replay the port files, then open the listener (after delay)."""
        with self._lock:
            if self._server is not None or self._start_timer is not None:
                raise RuntimeError('the stand-in is already started')
            self._wake.clear()
            if delay > 0:
                self._start_timer = threading.Timer(delay, self._open)
                self._start_timer.daemon = True
                self._start_timer.start()
                return
        self._open()

    def wait_listening(self, timeout=10.0):
        """Block until the listener is open; False on timeout."""
        return self._listening.wait(timeout)

    def _open(self):
        with self._lock:
            self._start_timer = None
            self._replay()
            listener = self._socket()
            listener.bind((self.host, self.port))
            listener.listen(128)
            self._server = _Server(listener, self)
            # A short poll interval: stop() waits for it.
            self._serve_thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={'poll_interval': 0.01},
                name='agent-stand-in-%d' % self.port, daemon=True)
            self._serve_thread.start()
            self._listening.set()

    def stop(self):
        """Close the listener and every connection; forget the ports."""
        with self._lock:
            timer, self._start_timer = self._start_timer, None
            server, self._server = self._server, None
            stale, self._stale_timer = self._stale_timer, None
            self._listening.clear()
            self._wake.set()
        for t in (timer, stale):
            if t is not None:
                t.cancel()
        if server is not None:
            server.shutdown()
            server.server_close()
            self._serve_thread.join()
        self.drop_connections()
        with self._lock:
            self._ports.clear()

    def restart(self, delay=0.0):
        self.stop()
        self.start(delay)

    def close(self):
        """Stop and release the reserved port."""
        self.stop()
        self._hold.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # Switches.

    def set_delay(self, seconds):
        """Answer every request seconds late (0: at once)."""
        self._delay = seconds

    def set_fail_mode(self, mode):
        """None, FAIL_ERROR (500 to everything) or FAIL_RESET."""
        if mode not in (None, FAIL_ERROR, FAIL_RESET):
            raise ValueError(mode)
        self.fail_mode = mode

    def drop_connections(self):
        """Close every open connection (as an agent closing idle ones)."""
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by its handler

    def _track(self, conn):
        with self._lock:
            self._connections.add(conn)

    def _untrack(self, conn):
        with self._lock:
            self._connections.discard(conn)

    def _wait_delay(self):
        """Sleep the delay; False if stop() came first."""
        if self._delay > 0:
            return not self._wake.wait(self._delay)
        return True

    # What the tests look at.

    def ports(self):
        """{port id: the port's JSON object} of the ports it has."""
        with self._lock:
            return {port_id: dict(port['data'])
                    for port_id, port in self._ports.items()}

    def version(self, port_id):
        with self._lock:
            return self._ports[port_id]['version']

    def _log(self, method, path, status):
        with self._lock:
            self.requests.append((method, path, status))

    # The agent.

    def _file(self, port_id):
        return os.path.join(self.port_dir, port_id)

    def _write_file_if_absent(self, port_id, text):
        """As the agent: a file it cannot create refuses the port; a write
        that fails once the file exists (a full disk) is not checked: the
        file stays empty or short, and the port is added.
        """
        try:
            fd = os.open(self._file(port_id),
                         os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return
        except OSError:
            raise Refused('Writing of Json string to file failed for %s' %
                          port_id)
        try:
            os.write(fd, text.encode('utf-8'))
        except OSError:
            pass
        finally:
            os.close(fd)

    def _delete_file(self, port_id):
        path = self._file(port_id)
        if os.path.isfile(path):
            os.unlink(path)

    def _add(self, port_id, obj, text, write_file):
        """Add a port, its file first (Refused if it cannot be created)."""
        if write_file:
            self._write_file_if_absent(port_id, text)
        existing = self._ports.get(port_id)
        if (existing is not None and
                existing['data']['instance-id'].lower() ==
                obj['instance-id'].lower()):
            existing['version'] += 1
            existing['generation'] = self._generation
        else:
            self._ports[port_id] = {'data': obj, 'version': 1,
                                    'generation': self._generation}

    def _route(self, method, path, body):
        with self._lock:
            if path == '/port' and method == 'POST':
                return self._post_port(body)
            if path == '/syncports' and method == 'POST':
                return self._sync()
            match = re.fullmatch('/port/' + _PATH_UUID, path)
            if match and method == 'DELETE':
                self._ports.pop(match.group(1), None)
                self._delete_file(match.group(1))
                return 200, _OK
            if match and method == 'GET':
                port = self._ports.get(match.group(1))
                if port is None:
                    return 404, _error('Not Found')
                return 200, json.dumps(port['data'])
            match = re.fullmatch('/(enable|disable)-port/' + _PATH_UUID,
                                 path)
            if match and method == 'PUT':
                return self._link_state(match.group(2),
                                        match.group(1) == 'enable')
            return 404, _error('Unknown Request', braces=False)

    def _post_port(self, body):
        text = body.decode('utf-8', errors='replace')
        try:
            obj = json.loads(text)
        except ValueError:
            return 500, _error('Invalid Json string ==> ' + text)
        if isinstance(obj, list):
            checked = []
            for element in obj:
                try:
                    checked.append((check_port(element), element))
                except Refused:
                    # All or none; the agent still answers 200 {}.
                    return 200, _OK
            for port_id, element in checked:
                try:
                    self._add(port_id, element, json.dumps(element), True)
                except Refused:
                    break  # the agent stops at the first that fails
            return 200, _OK
        if not isinstance(obj, dict):
            return 500, _error('Unexpected Json string ==> ' + text)
        try:
            port_id = check_port(obj)
            self._add(port_id, obj, text, True)
        except Refused as exc:
            return 500, _error(str(exc))
        return 200, _OK

    def _link_state(self, port_id, enable):
        port = self._ports.get(port_id)
        if port is None:
            return 500, _error('Port Not found ' + port_id, braces=False)
        if port['data']['type'] != TYPE_ESXI:
            return 500, _error('Incorrect Port type for ' + port_id,
                               braces=False)
        port['data']['link-state'] = 1 if enable else 0
        with open(self._file(port_id), 'w') as f:
            f.write(json.dumps(port['data']))
        return 200, _OK

    def _sync(self):
        self._generation += 1
        if self._stale_timer is not None:
            self._stale_timer.cancel()
        self._stale_timer = threading.Timer(
            self.stale_timeout, self._clean_stale, args=(self._generation,))
        self._stale_timer.daemon = True
        self._stale_timer.start()
        return 200, _OK

    def _clean_stale(self, generation):
        with self._lock:
            for port_id, port in list(self._ports.items()):
                if port['generation'] < generation:
                    del self._ports[port_id]
                    self._delete_file(port_id)

    def _replay(self):
        try:
            names = sorted(os.listdir(self.port_dir))
        except FileNotFoundError:
            return
        for name in names:
            path = self._file(name)
            if not _UUID_RE.match(name) or not os.path.isfile(path):
                continue
            with open(path, 'rb') as f:
                text = f.read().decode('utf-8', errors='replace')
            try:
                obj = json.loads(text)
                port_id = check_port(obj)
            except (ValueError, Refused) as exc:
                self.replay_skipped.append((name, str(exc) or 'empty'))
                continue
            if (self.check_devices and obj['type'] != TYPE_ESXI and
                    not self.device_exists(obj['system-name'])):
                self.replay_skipped.append(
                    (name, 'Interface does not exist in OS'))
                continue
            self._add(port_id, obj, text, write_file=False)
            self.replayed.append(port_id)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Run the stand-in vRouter agent until SIGTERM.')
    parser.add_argument('port_dir', help='port file directory')
    parser.add_argument('--no-check-devices', action='store_true',
                        help='replay port files whose device is absent')
    parser.add_argument('--port', type=int, default=0,
                        help='TCP port to listen on (default: ephemeral)')
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with AgentStandIn(args.port_dir, check_devices=not args.no_check_devices,
                      port=args.port) as agent:
        agent.start()
        print('listening %d' % agent.port, flush=True)
        stop.wait()
    return 0


if __name__ == '__main__':
    sys.exit(main())
