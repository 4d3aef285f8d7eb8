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

"""vrouter-port-control against the stand-in agent: exit codes, files."""

import io
import json
import os
import subprocess
import sys

import fixtures
from vrouter_testing import agent_stand_in

from os_vif_vrouter.cmd import port_control
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
NETWORK = '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c'
NAME = 'a "quoted" vm -- with --oper=delete\nand a newline'


class CliTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stderr = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.tmp = self.useFixture(fixtures.TempDir())
        self.conf_file = self.config_file()

    def argv(self, oper='add', *extra):
        argv = ['--oper=' + oper, '--uuid=' + PORT,
                '--agent_port=%d' % self.agent.port,
                '--port_json_path=' + self.stand_in.port_dir + '/',
                '--agent_timeout=5', '--config-file=' + self.conf_file]
        if oper == 'add':
            argv += ['--instance_uuid=' + INSTANCE, '--vn_uuid=' + NETWORK,
                     '--vm_project_uuid=9a8b7c6d5e4f30211203f4e5d6c7b8a9',
                     '--ip_address=10.0.0.5', '--ipv6_address=None',
                     '--vm_name=' + NAME, '--mac=fa:16:3e:12:34:56',
                     '--tap_name=tap5ac0a8a5-7d', '--port_type=NovaVMPort',
                     '--tx_vlan_id=-1', '--rx_vlan_id=-1']
        return argv + list(extra)

    def run_cli(self, oper='add', *extra):
        return port_control.main(self.argv(oper, *extra))

    def port_file(self):
        path = os.path.join(self.stand_in.port_dir, PORT)
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    def vhostuser(self, mode='1', netlink=True):
        netlink_path = self.tmp.join('dpdk_netlink')
        if netlink:
            with open(netlink_path, 'w'):
                pass
        return ('--vif_type=VhostUser',
                '--vhostuser_socket=' + self.tmp.join('uvh_vif_tap'),
                '--vhostuser_mode=' + mode,
                '--dpdk_netlink_socket=' + netlink_path,
                '--agent_wait=0.1', '--socket_wait=0.1')


class TestKernelPorts(CliTestCase):

    def test_add_delete(self):
        self.assertEqual(0, self.run_cli())
        registered = self.agent.ports()[PORT]
        self.assertEqual(registered, self.port_file())
        self.assertEqual(NAME, registered['display-name'])
        self.assertEqual('::', registered['ip6-address'])
        self.assertEqual('9a8b7c6d-5e4f-3021-1203-f4e5d6c7b8a9',
                         registered['vm-project-id'])
        self.assertEqual('vrouter-port-control (os-vif-vrouter)',
                         registered['author'])
        self.assertEqual(0, self.run_cli('delete'))
        self.assertEqual({}, self.agent.ports())
        self.assertIsNone(self.port_file())
        self.assertEqual(0, self.run_cli('delete'))

    def test_agent_down_still_exits_0(self):
        self.agent.stop()
        self.assertEqual(0, self.run_cli())
        self.assertEqual(PORT, self.port_file()['id'])
        self.assertEqual(0, self.run_cli('delete'))
        self.assertIsNone(self.port_file())

    def test_agent_refuses_exit_4_no_file(self):
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        self.assertEqual(4, self.run_cli())
        self.assertIsNone(self.port_file())
        self.assertIn('Internal error (fail mode)', self.stderr.getvalue())

    def test_connection_lost_exit_5(self):
        self.agent.set_fail_mode(agent_stand_in.FAIL_RESET)
        self.assertEqual(5, self.run_cli())
        self.assertIsNone(self.port_file())

    def test_failed_delete_exit_1(self):
        self.assertEqual(0, self.run_cli())
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        self.assertEqual(1, self.run_cli('delete'))
        self.assertIsNone(self.port_file())

    def test_no_persist(self):
        self.agent.stop()
        self.assertEqual(0, self.run_cli('add', '--no_persist'))
        self.assertIsNone(self.port_file())
        self.agent.start()
        path = os.path.join(self.stand_in.port_dir, PORT)
        with open(path, 'w') as f:
            f.write('sentinel')
        self.assertEqual(0, self.run_cli('add', '--no_persist=true'))
        self.assertIn(PORT, self.agent.ports())
        with open(path) as f:
            self.assertEqual('sentinel', f.read())

    def test_enable_disable_esxi_port(self):
        self.assertEqual(0, self.run_cli('add', '--port_type=ESXiPort'))
        self.assertEqual(0, self.run_cli('disable'))
        self.assertEqual(0, self.agent.ports()[PORT]['link-state'])
        self.assertEqual(0, self.run_cli('enable'))
        self.assertEqual(1, self.agent.ports()[PORT]['link-state'])
        self.assertEqual(1, self.port_file()['link-state'])

    def test_enable_non_esxi_port_exit_1(self):
        self.assertEqual(0, self.run_cli())
        self.assertEqual(1, self.run_cli('enable'))
        self.assertNotIn('link-state', self.port_file())

    def test_installed_command(self):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
        result = subprocess.run(
            [sys.executable, '-m', 'os_vif_vrouter.cmd.port_control'] +
            self.argv(), capture_output=True, env=env)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(b'', result.stderr)
        self.assertEqual(NAME, self.agent.ports()[PORT]['display-name'])


class TestVhostUserPorts(CliTestCase):

    def test_qemu_server(self):
        self.assertEqual(0, self.run_cli('add', *self.vhostuser('1')))
        self.assertEqual(1, self.agent.ports()[PORT]['vhostuser-mode'])
        self.assertEqual(self.agent.ports()[PORT], self.port_file())

    def test_agent_port_not_open_exit_2(self):
        self.agent.stop()
        self.assertEqual(2, self.run_cli('add', *self.vhostuser()))
        self.assertIsNone(self.port_file())

    def test_netlink_socket_missing_exit_3(self):
        self.assertEqual(3, self.run_cli('add',
                                         *self.vhostuser(netlink=False)))
        self.assertEqual({}, self.agent.ports())

    def test_agent_refuses_exit_4(self):
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        self.assertEqual(4, self.run_cli('add', *self.vhostuser()))

    def test_agent_unreachable_exit_5(self):
        self.agent.set_fail_mode(agent_stand_in.FAIL_RESET)
        self.assertEqual(5, self.run_cli('add', *self.vhostuser()))
        self.assertIsNone(self.port_file())

    def test_socket_not_created_exit_6(self):
        self.assertEqual(6, self.run_cli('add', *self.vhostuser('0')))
        # As the plugin: the new port is undone.
        self.assertEqual({}, self.agent.ports())
        self.assertIsNone(self.port_file())

    def test_socket_not_created_on_readd_exit_6_keeps_the_port(self):
        with open(self.tmp.join('uvh_vif_tap'), 'w'):
            pass
        self.assertEqual(0, self.run_cli('add', *self.vhostuser('0')))
        before = self.port_file()
        os.unlink(self.tmp.join('uvh_vif_tap'))
        self.assertEqual(6, self.run_cli('add', *self.vhostuser('0')))
        self.assertEqual(before, self.port_file())
        self.assertIn(PORT, self.agent.ports())

    def test_no_persist_socket_not_created_on_readd_keeps_the_port(self):
        # Without the port file the command cannot tell a port the agent
        # had from a new one: a failed add leaves the registration alone.
        with open(self.tmp.join('uvh_vif_tap'), 'w'):
            pass
        self.assertEqual(0, self.run_cli('add', *self.vhostuser('0'),
                                         '--no_persist'))
        before = self.agent.ports()[PORT]
        os.unlink(self.tmp.join('uvh_vif_tap'))
        self.assertEqual(6, self.run_cli('add', *self.vhostuser('0'),
                                         '--no_persist'))
        self.assertEqual(before['system-name'],
                         self.agent.ports()[PORT]['system-name'])

    def test_socket_created(self):
        with open(self.tmp.join('uvh_vif_tap'), 'w'):
            pass
        self.assertEqual(0, self.run_cli('add', *self.vhostuser('0')))
