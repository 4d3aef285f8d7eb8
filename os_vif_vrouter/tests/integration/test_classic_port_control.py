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

"""The test tree's classic vrouter-port-control, against the stand-in."""

import json
import os

from vrouter_testing import agent_stand_in

from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import classic_port_control

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
NETWORK = '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c'
PROJECT = '0123456789abcdef0123456789abcdef'


class TestClassicPortControl(base.TestCase):

    def setUp(self):
        super().setUp()
        # The taps exist (the agent replays a kernel port's file only
        # then).
        self.stand_in = self.useFixture(base.StandIn(
            start=False, device_exists=lambda name: True))
        self.agent = self.stand_in.agent

    def run_it(self, *args):
        return classic_port_control.main(
            list(args) + ['--agent_port=%d' % self.agent.port,
                          '--port_json_path=%s' % self.stand_in.port_dir])

    def add(self):
        return self.run_it(
            '--oper=add', '--uuid=%s' % PORT,
            '--instance_uuid=%s' % INSTANCE, '--vn_uuid=%s' % NETWORK,
            '--vm_project_uuid=%s' % PROJECT, '--ip_address=10.0.0.5',
            '--ipv6_address=None', '--vm_name=instance-0000002a',
            '--mac=FA:16:3E:12:34:56', '--tap_name=tap5ac0a8a5-7d',
            '--port_type=NovaVMPort', '--tx_vlan_id=-1', '--rx_vlan_id=-1')

    def port_file(self):
        with open(os.path.join(self.stand_in.port_dir, PORT)) as f:
            return json.load(f)

    def test_add_writes_the_classic_file_and_registers(self):
        self.agent.start()
        self.assertEqual(0, self.add())
        written = self.port_file()
        self.assertEqual('None', written['ip6-address'])
        self.assertEqual('FA:16:3E:12:34:56', written['mac-address'])
        self.assertEqual('01234567-89ab-cdef-0123-456789abcdef',
                         written['vm-project-id'])
        self.assertEqual(0, written['vhostuser-mode'])
        self.assertEqual('/usr/bin/vrouter-port-control', written['author'])
        self.assertEqual({PORT: written}, self.agent.ports())

    def test_agent_down_keeps_the_file_for_replay(self):
        self.assertEqual(0, self.add())
        self.assertEqual(PORT, self.port_file()['id'])
        self.agent.start()
        self.assertEqual([PORT], self.agent.replayed)

    def test_delete(self):
        self.agent.start()
        self.add()
        self.assertEqual(0, self.run_it('--oper=delete', '--uuid=%s' % PORT))
        self.assertEqual({}, self.agent.ports())
        self.assertEqual([], os.listdir(self.stand_in.port_dir))

    def test_refused_leaves_the_file(self):
        # As the classic script did: the file is written first.
        self.agent.start()
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        self.assertEqual(classic_port_control.EXIT_AGENT_REFUSED,
                         self.add())
        self.assertEqual(PORT, self.port_file()['id'])
