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

"""HTTP client of the vRouter agent's REST port API.

The agent speaks HTTP/1.1 with keep-alive on 127.0.0.1:9091.  Connections
are kept in a small locked pool, so that a burst of plugs reuses a few
warm connections instead of paying a TCP handshake per request, and so
that it works the same under native threads and eventlet.

Every failure is a typed :class:`os_vif_vrouter.exception.AgentError`:

=====================  ===================================================
AgentNotRunning        connection refused: the agent is down or still
                       initialising (it opens its port last)
AgentListenerNotTrusted  the socket that accepted the connection is not
                       the agent's (not owned by ``listener_uid``):
                       nothing was sent
AgentUnreachable       no connection for another reason (connect timeout,
                       no route)
AgentConnectionLost    the connection broke before an answer
AgentTimeout           no answer within the read timeout
AgentNotReady          :meth:`AgentClient.wait_until_listening` gave up
AgentRecentlyDown      it gave up a moment ago (``down_memory``), and
                       the agent still refuses: no new wait
AgentRequestFailed     the agent answered an error: HTTP status and the
                       agent's message
=====================  ===================================================
"""

import collections
import http.client
import json
import socket
import threading
import time
import typing as ty

from oslo_log import log as logging

from os_vif_vrouter import backoff
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import tcp_sockets

LOG = logging.getLogger(__name__)

_HEADERS = {'Content-Type': 'application/json',
            'Accept': 'application/json'}

# Failures that mean the server closed a kept-alive connection before it
# read our request (idle close, agent restart): retried once on a fresh
# connection.  Safe, because every request this client sends is
# idempotent at the agent: re-adding a port only bumps its version,
# deleting an unknown port answers 200.
_STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected,
                            ConnectionResetError, BrokenPipeError,
                            ConnectionAbortedError)


def _agent_message(body: bytes) -> str:
    """The message of an agent error body: {"error": "{ <message> }"}."""
    text = body.decode('utf-8', errors='replace')
    try:
        error = json.loads(text)['error']
    except (ValueError, KeyError, TypeError):
        return text.strip() or '(no message)'
    if not isinstance(error, str):
        return text.strip()
    error = error.strip()
    if error.startswith('{') and error.endswith('}'):
        error = error[1:-1].strip()
    return error


class AgentClient(object):
    """Client of one vRouter agent.  Thread-safe.

    Port ids go into URL paths as given: they are checked where the port
    entered (see os_vif_vrouter.ports), and the agent answers 404 to
    anything but a lower-case UUID.

    :param host: the agent's address
    :param port: the agent's TCP port
    :param connect_timeout: seconds to wait for a TCP connection
    :param read_timeout: seconds to wait for each answer
    :param max_idle: connections kept open between requests
    :param down_memory: seconds after :meth:`wait_until_listening` gave
        up during which the next waits make one attempt and fail at once
        (0: every wait is a whole one)
    :param listener_uid: the uid the agent runs as: each new connection
        is used only if the socket that accepted it belongs to that uid;
        None: no check
    """

    def __init__(self, host: str = constants.DEFAULT_AGENT_HOST,
                 port: int = constants.DEFAULT_AGENT_PORT,
                 connect_timeout: float = 2.0,
                 read_timeout: ty.Optional[float] = 10.0,
                 max_idle: int = 4, down_memory: float = 0.0,
                 listener_uid: ty.Optional[int] = None) -> None:
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.down_memory = down_memory
        self.listener_uid = listener_uid
        # When the last whole wait gave up (clock time), and how long it
        # waited; None once the agent answered.
        self._gave_up: ty.Optional[ty.Tuple[float, float]] = None
        self._max_idle = max_idle
        self._idle: ty.Deque[http.client.HTTPConnection] = (
            collections.deque())
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        return '%s:%d' % (self.host, self.port)

    # Connection pool.

    def _new_connection(self, request: str) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port,
                                          timeout=self.connect_timeout)
        try:
            conn.connect()
        except ConnectionRefusedError:
            conn.close()
            raise exception.AgentNotRunning(address=self.address,
                                            request=request)
        except socket.timeout:
            conn.close()
            raise exception.AgentUnreachable(
                address=self.address, request=request,
                reason='no connection within %.1f s' % self.connect_timeout)
        except OSError as exc:
            conn.close()
            raise exception.AgentUnreachable(
                address=self.address, request=request,
                reason=exc.strerror or str(exc))
        # Connected: from now on the read timeout applies.
        conn.sock.settimeout(self.read_timeout)
        if self.listener_uid is not None:
            try:
                self._check_listener(conn.sock, request, self.listener_uid)
            except exception.AgentListenerNotTrusted:
                conn.close()
                raise
        return conn

    def _check_listener(self, sock: socket.socket, request: str,
                        listener_uid: int) -> None:
        """Refuse a connection that another program than the agent took.

        The agent's port is an unprivileged TCP port without
        authentication: while the agent is down, any local user may
        listen on it, and would receive every registration (or answer a
        DPDK plug).  The kernel's socket tables say who owns the server
        end of this very connection.
        """
        def untrusted(reason: str) -> exception.AgentListenerNotTrusted:
            return exception.AgentListenerNotTrusted(
                address=self.address, request=request, reason=reason)

        try:
            sockets = tcp_sockets.read()
            local, peer = sock.getsockname()[:2], sock.getpeername()[:2]
        except OSError as exc:
            raise untrusted('cannot tell who accepted the connection: %s'
                            % (exc.strerror or exc))
        end = tcp_sockets.server_end(local, peer, sockets)
        if end is None:
            raise untrusted('no socket of this host accepted the '
                            'connection: the agent runs on this host')
        if end.uid != listener_uid:
            raise untrusted('the socket listening on port %d belongs to uid '
                            '%d, not to the agent\'s uid %d: another program '
                            'took the agent\'s port' % (
                                self.port, end.uid, listener_uid))

    def _take(self) -> ty.Optional[http.client.HTTPConnection]:
        with self._lock:
            return self._idle.pop() if self._idle else None

    def _give_back(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < self._max_idle:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        """Close the idle connections (in-flight ones close when done)."""
        with self._lock:
            idle, self._idle = self._idle, collections.deque()
        for conn in idle:
            conn.close()

    # Requests.

    def _exchange(self, conn: http.client.HTTPConnection, method: str,
                  path: str, body: ty.Optional[bytes]
                  ) -> ty.Tuple[int, bytes, bool]:
        conn.request(method, path, body=body, headers=_HEADERS)
        response = conn.getresponse()
        return response.status, response.read(), response.will_close

    def _request(self, method: str, path: str,
                 body: ty.Optional[bytes] = None) -> ty.Tuple[int, bytes]:
        """Send one request; return (status, body bytes).

        :raises: AgentUnavailable subclasses
        """
        request = '%s %s' % (method, path)
        conn = self._take()
        reused = conn is not None
        while True:
            if conn is None:
                conn = self._new_connection(request)
            try:
                status, data, will_close = self._exchange(
                    conn, method, path, body)
            except _STALE_CONNECTION_ERRORS as exc:
                conn.close()
                if reused:
                    LOG.debug('vRouter agent closed a kept-alive '
                              'connection (%(error)s); retrying %(request)s '
                              'on a new one',
                              {'error': exc, 'request': request})
                    conn, reused = None, False
                    continue
                raise exception.AgentConnectionLost(
                    address=self.address, request=request,
                    reason=str(exc) or type(exc).__name__)
            except socket.timeout:
                conn.close()
                raise exception.AgentTimeout(
                    address=self.address, request=request,
                    timeout=self.read_timeout)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                raise exception.AgentConnectionLost(
                    address=self.address, request=request,
                    reason=str(exc) or type(exc).__name__)
            if will_close:
                conn.close()
            else:
                self._give_back(conn)
            return status, data

    def _call(self, method: str, path: str, body: ty.Optional[bytes] = None,
              ok: ty.Tuple[int, ...] = (200,)) -> ty.Tuple[int, bytes]:
        status, data = self._request(method, path, body)
        if status not in ok:
            raise exception.AgentRequestFailed(
                address=self.address, request='%s %s' % (method, path),
                status=status, error=_agent_message(data))
        return status, data

    def add_port(self, request_json: str) -> None:
        """POST /port with the port-add JSON (a str, sent as is).

        :raises: AgentRequestFailed (the agent refused the port),
            AgentUnavailable subclasses
        """
        self._call('POST', '/port', request_json.encode('utf-8'))

    def delete_port(self, port_id: str) -> None:
        """DELETE /port/<port_id>; fine for a port the agent does not know.

        :raises: AgentRequestFailed, AgentUnavailable subclasses
        """
        self._call('DELETE', '/port/' + port_id)

    def get_port(self, port_id: str) -> ty.Any:
        """GET /port/<port_id>: the agent's JSON of the port, or None.

        The agent answers 404 until it has the interface with its VM, VN
        and IPAM.

        :raises: AgentRequestFailed, AgentUnavailable subclasses
        """
        status, data = self._call('GET', '/port/' + port_id, ok=(200, 404))
        if status == 404:
            return None
        try:
            return json.loads(data)
        except ValueError:
            raise exception.AgentRequestFailed(
                address=self.address, request='GET /port/' + port_id,
                status=status, error='not JSON: %r' % data[:200])

    def enable_port(self, port_id: str) -> None:
        """PUT /enable-port/<port_id> (ESXi ports only, at the agent)."""
        self._call('PUT', '/enable-port/' + port_id)

    def disable_port(self, port_id: str) -> None:
        """PUT /disable-port/<port_id> (ESXi ports only, at the agent)."""
        self._call('PUT', '/disable-port/' + port_id)

    def sync_ports(self) -> None:
        """POST /syncports: the agent deletes, after its stale timeout, the
        ports not added again in the meantime.
        """
        self._call('POST', '/syncports')

    def wait_until_listening(
            self, timeout: float,
            clock: ty.Optional[ty.Callable[[], float]] = None,
            sleep: ty.Optional[ty.Callable[[float], None]] = None) -> None:
        """Wait for the agent to accept connections, with backoff.

        Connection refused is retried until timeout (seconds) has passed;
        the connection made is kept for the next request.  Within
        ``down_memory`` seconds of a wait that gave up, one attempt is
        made and its refusal is final: at a host's start with the agent
        down, nova-compute re-plugs its DPDK ports one after the other,
        and each would wait again.

        :raises: AgentNotReady after timeout, AgentRecentlyDown within the
            memory, AgentUnreachable at once for any other connection
            failure
        """
        clock = clock or time.monotonic
        gave_up = self._gave_up
        remembered = (gave_up is not None and
                      clock() - gave_up[0] < self.down_memory)

        def connect() -> http.client.HTTPConnection:
            return self._new_connection('connection check')

        try:
            conn, waited = backoff.retry(
                connect, exception.AgentNotRunning,
                0 if remembered else timeout, clock=clock, sleep=sleep)
        except backoff.GaveUp as exc:
            if gave_up is not None and remembered:
                raise exception.AgentRecentlyDown(
                    address=self.address, waited=gave_up[1],
                    ago=clock() - gave_up[0])
            self._gave_up = (clock(), exc.waited)
            raise exception.AgentNotReady(address=self.address,
                                          waited=exc.waited)
        self._gave_up = None
        if waited:
            LOG.info('vRouter agent at %(address)s accepted a connection '
                     'after %(waited).1f s',
                     {'address': self.address, 'waited': waited})
        self._give_back(conn)
