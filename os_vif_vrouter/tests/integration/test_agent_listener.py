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

"""Only the agent's own listener gets a registration.

The listeners here are real sockets: the stand-in (owned by whoever runs
the tests), and, as root, listeners of another uid (nobody) made by a
child process that drops to that uid before it listens.
"""

import io
import os
import select
import shutil
import socket
import sys
import tempfile

import fixtures
from vrouter_testing import agent_stand_in

from os_vif_vrouter import agent_client
from os_vif_vrouter.cmd import port_control
from os_vif_vrouter import exception
from os_vif_vrouter import tcp_sockets
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs
from os_vif_vrouter import vrouter

NOBODY = 65534


def _drop_to_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class OtherUidListener(fixtures.Fixture):
    """A loopback listener owned by nobody, in a child process that
    records how many bytes it received (root only).

    :ivar port: its port
    """

    def _setUp(self):
        ready_r, ready_w = os.pipe()
        self._report_r, report_w = os.pipe()
        self._stop_r, stop_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                _drop_to_nobody()
                sock = socket.socket()
                sock.bind(('127.0.0.1', 0))
                sock.listen(8)
                os.write(ready_w, b'%d\n' % sock.getsockname()[1])
                sock.settimeout(0.05)
                received = 0
                while not _readable(self._stop_r):
                    try:
                        conn, _ = sock.accept()
                    except socket.timeout:
                        continue
                    conn.settimeout(0.5)
                    try:
                        received += len(conn.recv(65536))
                    except OSError:
                        pass
                    conn.close()
                os.write(report_w, b'%d\n' % received)
            finally:
                os._exit(0)
        for fd in (ready_w, report_w, self._stop_r):
            os.close(fd)
        self._stop_w = stop_w
        self._pid = pid
        self.port = int(os.read(ready_r, 32))
        os.close(ready_r)
        self.addCleanup(self._stop)

    def _stop(self):
        if self._pid is not None:
            self.received()

    def received(self):
        """Stop the listener; the bytes it received."""
        os.write(self._stop_w, b'x')
        received = int(os.read(self._report_r, 32))
        os.waitpid(self._pid, 0)
        self._pid = None
        return received


def _readable(fd):
    return bool(select.select([fd], [], [], 0)[0])


class TestListenerOwner(base.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir())

    def need_root(self):
        if os.geteuid() != 0:
            self.skipTest('a listener of another uid needs root')

    def test_stand_in_of_the_expected_uid_is_used(self):
        stand_in = self.useFixture(base.StandIn())
        client = stand_in.client(listener_uid=os.geteuid())
        client.sync_ports()
        self.assertEqual([('POST', '/syncports', 200)],
                         stand_in.agent.requests)

    def test_listener_of_another_uid_gets_nothing(self):
        # Any user: the stand-in's uid is not the expected one.
        stand_in = self.useFixture(base.StandIn())
        client = stand_in.client(listener_uid=os.geteuid() + 1)
        exc = self.assertRaises(exception.AgentListenerNotTrusted,
                                client.add_port, '{}')
        self.assertIn('belongs to uid %d' % os.geteuid(), str(exc))
        self.assertEqual([], stand_in.agent.requests)
        self.assertRaises(exception.AgentListenerNotTrusted,
                          client.wait_until_listening, 5)

    def plugin(self, port, uid, port_dir=None):
        self.flags(agent_port=port, agent_listener_uid=uid,
                   port_dir=port_dir or self.tmp.join('ports'),
                   vhostuser_agent_wait=5)
        plugin = vrouter.VRouterPlugin.load('contrail_vrouter')
        self.addCleanup(plugin.client.close)
        return plugin

    def test_plug_refused_by_a_listener_of_another_uid(self):
        self.need_root()
        listener = self.useFixture(OtherUidListener())
        plugin = self.plugin(listener.port, 0)
        for vif in (vifs.kernel(), vifs.dpdk(self.tmp.join('uvh_vif_a'))):
            exc = self.assertRaises(exception.VRouterPlugError, plugin.plug,
                                    vif, vifs.instance_info())
            self.assertIsInstance(exc.error,
                                  exception.AgentListenerNotTrusted)
            self.assertIn('belongs to uid %d' % NOBODY, str(exc))
        # No registration reached it, and no port file was written.
        self.assertEqual(0, listener.received())
        self.assertFalse(os.path.exists(self.tmp.join('ports')) and
                         os.listdir(self.tmp.join('ports')))

    def test_cli_refused_by_a_listener_of_another_uid(self):
        self.need_root()
        listener = self.useFixture(OtherUidListener())
        stderr = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value
        config = self.config_file(agent_listener_uid=0)
        code = port_control.main([
            '--oper=delete', '--uuid=' + vifs.new_port_id(),
            '--agent_port=%d' % listener.port, '--config-file=' + config,
            '--port_json_path=' + self.tmp.join('ports')])
        self.assertEqual(port_control.EXIT_BAD_ARGUMENT, code)
        self.assertIn('belongs to uid %d' % NOBODY, stderr.getvalue())
        self.assertEqual(0, listener.received())

    def test_agent_of_a_configured_uid_is_used(self):
        # The agent runs as nobody; agent_listener_uid says so.
        self.need_root()
        top = tempfile.mkdtemp(prefix='vrouter-listener-test-', dir='/tmp')
        self.addCleanup(shutil.rmtree, top)
        os.chmod(top, 0o755)
        port_dir = os.path.join(top, 'ports')
        os.mkdir(port_dir)
        os.chown(port_dir, NOBODY, NOBODY)
        ready_r, ready_w = os.pipe()
        stop_r, stop_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                _drop_to_nobody()
                with agent_stand_in.AgentStandIn(port_dir) as agent:
                    agent.start()
                    os.write(ready_w, b'%d\n' % agent.port)
                    os.read(stop_r, 1)
            finally:
                os._exit(0)
        os.close(ready_w)
        os.close(stop_r)
        self.addCleanup(os.waitpid, pid, 0)
        self.addCleanup(os.write, stop_w, b'x')
        port = int(os.read(ready_r, 32))
        plugin = self.plugin(port, NOBODY, port_dir)
        vif = vifs.kernel()
        plugin.plug(vif, vifs.instance_info())
        self.assertEqual([vif.id], os.listdir(port_dir))
        self.assertIsNotNone(plugin.client.get_port(vif.id))
        plugin.unplug(vif, vifs.instance_info())


class TestSocketTables(base.TestCase):

    def test_server_end_and_exposure(self):
        server = socket.socket()
        self.addCleanup(server.close)
        server.bind(('0.0.0.0', 0))
        server.listen(1)
        port = server.getsockname()[1]
        client = socket.create_connection(('127.0.0.1', port))
        self.addCleanup(client.close)
        sockets = tcp_sockets.read()
        end = tcp_sockets.server_end(client.getsockname(),
                                     client.getpeername(), sockets)
        self.assertEqual(os.geteuid(), end.uid)
        self.assertEqual(port, end.local_port)
        [listener] = tcp_sockets.accepting('127.0.0.1', port, sockets)
        self.assertTrue(listener.local_address.is_unspecified)
        self.assertEqual([listener], tcp_sockets.exposed(port, sockets))

    def test_loopback_only_is_not_exposed(self):
        server = socket.socket(socket.AF_INET6)
        self.addCleanup(server.close)
        server.bind(('::1', 0))
        server.listen(1)
        port = server.getsockname()[1]
        sockets = tcp_sockets.read()
        self.assertEqual(1, len(tcp_sockets.listeners(port, sockets)))
        self.assertEqual([], tcp_sockets.exposed(port, sockets))

    def test_parse_both_tables(self):
        tcp = ('  sl  local_address rem_address   st tx_queue rx_queue tr '
               'tm->when retrnsmt   uid  timeout inode\n'
               '   0: 0100007F:2383 00000000:0000 0A 00000000:00000000 '
               '00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n')
        [s] = tcp_sockets.parse(tcp, socket.AF_INET)
        self.assertEqual(('127.0.0.1', 9091, tcp_sockets.LISTEN, 0),
                         (str(s.local_address), s.local_port, s.state,
                          s.uid))
        mapped = socket.inet_pton(socket.AF_INET6, '::ffff:127.0.0.1')
        words = ''.join('%08X' % int.from_bytes(mapped[i:i + 4],
                                                'little' if
                                                sys.byteorder == 'little'
                                                else 'big')
                        for i in range(0, 16, 4))
        tcp6 = tcp.replace('0100007F:2383', words + ':2383').replace(
            '00000000:0000', '0' * 32 + ':0000').replace(
            '     0        0', '  1000        0')
        [s] = tcp_sockets.parse(tcp6, socket.AF_INET6)
        self.assertEqual(('127.0.0.1', 1000), (str(s.local_address), s.uid))

    def test_client_without_check(self):
        client = agent_client.AgentClient(port=1)
        self.assertIsNone(client.listener_uid)
