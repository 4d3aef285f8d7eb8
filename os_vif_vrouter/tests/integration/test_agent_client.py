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

"""The agent client against the stand-in agent, over real HTTP."""

import json
import socket
import threading

from vrouter_testing import agent_stand_in

from os_vif_vrouter import agent_client
from os_vif_vrouter import exception
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'


def port_json(**changes):
    port = {
        'id': PORT, 'instance-id': 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b',
        'ip-address': '10.0.0.5', 'ip6-address': '::',
        'vn-id': '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c',
        'display-name': 'vm', 'vm-project-id': '',
        'mac-address': 'fa:16:3e:12:34:56', 'system-name': 'tap5ac0a8a5-7d',
        'type': 0, 'rx-vlan-id': -1, 'tx-vlan-id': -1, 'author': 'test',
        'time': 'now',
    }
    port.update(changes)
    return json.dumps(port)


class TestAgentClient(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.client = self.stand_in.client()

    def test_add_get_delete(self):
        self.assertIsNone(self.client.get_port(PORT))
        self.client.add_port(port_json())
        self.assertEqual(json.loads(port_json()), self.client.get_port(PORT))
        self.client.delete_port(PORT)
        self.assertIsNone(self.client.get_port(PORT))
        self.client.delete_port(PORT)  # unknown: fine

    def test_refused_port_carries_status_and_message(self):
        exc = self.assertRaises(
            exception.AgentRequestFailed, self.client.add_port,
            port_json(**{'mac-address': '00:00:00:00:00:00'}))
        self.assertEqual(500, exc.status)
        self.assertEqual('Invalid MAC, Use xx:xx:xx:xx:xx:xx format',
                         exc.agent_message)
        self.assertIn('answered 500 to POST /port', str(exc))
        self.assertIn(self.agent.address, str(exc))

    def test_unknown_request_is_404(self):
        exc = self.assertRaises(exception.AgentRequestFailed,
                                self.client._call, 'GET', '/nothing')
        self.assertEqual(404, exc.status)
        self.assertEqual('Unknown Request', exc.agent_message)

    def test_enable_disable_sync(self):
        self.client.add_port(port_json(type=2))
        self.client.disable_port(PORT)
        self.assertEqual(0, self.agent.ports()[PORT]['link-state'])
        self.client.enable_port(PORT)
        self.assertEqual(1, self.agent.ports()[PORT]['link-state'])
        self.client.sync_ports()

    def test_connections_are_reused(self):
        for _ in range(5):
            self.client.get_port(PORT)
        self.assertEqual(1, len(self.client._idle))
        self.assertEqual(1, len(self.agent._connections))

    def test_reconnects_after_agent_dropped_the_connection(self):
        self.client.get_port(PORT)
        self.agent.drop_connections()
        self.client.add_port(port_json())
        self.assertIn(PORT, self.agent.ports())

    def test_reconnects_after_agent_restart(self):
        self.client.add_port(port_json())
        self.agent.device_exists = {'tap5ac0a8a5-7d'}.__contains__
        self.agent.restart()  # replays the port file
        self.assertEqual(json.loads(port_json()), self.client.get_port(PORT))

    def test_agent_not_running(self):
        self.agent.stop()
        exc = self.assertRaises(exception.AgentNotRunning,
                                self.client.add_port, port_json())
        self.assertIn('refused the connection (POST /port)', str(exc))

    def test_slow_agent_times_out(self):
        client = self.stand_in.client(read_timeout=0.05)
        self.agent.set_delay(30)
        exc = self.assertRaises(exception.AgentTimeout, client.get_port, PORT)
        self.assertIn('did not answer GET /port/%s within 0.1 s' % PORT,
                      str(exc))
        self.assertEqual(0, len(client._idle))

    def test_connection_reset(self):
        self.agent.set_fail_mode(agent_stand_in.FAIL_RESET)
        self.assertRaises(exception.AgentConnectionLost, self.client.add_port,
                          port_json())
        self.assertEqual({}, self.agent.ports())

    def test_agent_answers_500_to_everything(self):
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        exc = self.assertRaises(exception.AgentRequestFailed,
                                self.client.delete_port, PORT)
        self.assertEqual('Internal error (fail mode)', exc.agent_message)

    def test_wait_until_listening(self):
        self.agent.stop()
        self.agent.start(delay=0.2)
        self.client.wait_until_listening(timeout=30)
        self.client.add_port(port_json())
        self.assertIn(PORT, self.agent.ports())

    def test_wait_until_listening_is_bounded(self):
        self.agent.stop()
        exc = self.assertRaises(exception.AgentNotReady,
                                self.client.wait_until_listening, 0.1)
        self.assertIn('still refused connections', str(exc))

    def test_connect_timeout(self):
        # A listener whose backlog is full never completes a handshake:
        # the connect timeout bounds the wait.
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(('127.0.0.1', 0))
        listener.listen(0)
        fillers = []
        for _ in range(8):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(listener.getsockname())
            fillers.append(s)
            self.addCleanup(s.close)
        client = agent_client.AgentClient(
            port=listener.getsockname()[1], connect_timeout=0.05)
        exc = self.assertRaises(exception.AgentUnreachable,
                                client.get_port, PORT)
        self.assertIn('no connection within', str(exc))

    def test_threads_share_a_bounded_pool(self):
        errors = []

        def worker():
            try:
                for _ in range(20):
                    self.client.get_port(PORT)
            except exception.AgentError as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([], errors)
        self.assertLessEqual(len(self.client._idle), 4)
