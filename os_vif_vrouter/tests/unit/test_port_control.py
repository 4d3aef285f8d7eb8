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

import io

import fixtures

from os_vif_vrouter.cmd import port_control
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
OPTIONS = ('--oper', '--uuid', '--instance_uuid', '--vn_uuid',
           '--vm_project_uuid', '--ip_address', '--ipv6_address',
           '--vm_name', '--mac', '--tap_name', '--port_type', '--tx_vlan_id',
           '--rx_vlan_id', '--vif_type', '--vhostuser_socket',
           '--vhostuser_mode', '--no_persist', '--agent_port',
           '--port_json_path', '--agent_host', '--config-file',
           '--config-dir')


class TestArguments(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stderr = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value
        self.port_dir = self.useFixture(fixtures.TempDir()).path

    def run_cli(self, *argv):
        return port_control.main(
            ['--port_json_path=' + self.port_dir, '--agent_port=1',
             '--config-file=' + self.config_file()] + list(argv))

    def add(self, *extra):
        return self.run_cli(
            '--oper=add', '--uuid=' + PORT,
            '--instance_uuid=d3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b',
            '--vn_uuid=7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c',
            '--mac=fa:16:3e:12:34:56', '--tap_name=tap5ac0a8a5-7d', *extra)

    def test_help_documents_every_option(self):
        out = self.useFixture(fixtures.MonkeyPatch(
            'sys.stdout', io.StringIO())).new_value
        exc = self.assertRaises(SystemExit, port_control.main, ['--help'])
        self.assertEqual(0, exc.code)
        text = out.getvalue()
        for option in OPTIONS:
            self.assertIn(option, text)
        for code in range(7):
            self.assertIn('\n  %d  ' % code, text)

    def test_usage_errors_exit_2(self):
        for argv in ([], ['--oper=add'], ['--uuid=' + PORT],
                     ['--oper=add', '--uuid=' + PORT, '--bogus=1'],
                     ['--oper=add', '--uuid=' + PORT, '--no_persist=maybe'],
                     ['--oper=add', '--uuid=' + PORT, '--agent_wait=-1']):
            exc = self.assertRaises(SystemExit, port_control.main, argv)
            self.assertEqual(2, exc.code, argv)

    def test_bad_arguments_exit_1(self):
        cases = [
            ('--oper=create',),
            ('--port_type=LXC',),
            ('--vif_type=Tap',),
            ('--tx_vlan_id=none',),
            ('--rx_vlan_id=1.5',),
            ('--vif_type=VhostUser',),  # no --vhostuser_socket
            ('--vif_type=VhostUser', '--vhostuser_socket=/run/s',
             '--vhostuser_mode=2'),
            ('--mac=00:00:00:00:00:00',),
            ('--ip_address=10.0.0.300',),
            ('--ipv6_address=10.0.0.3',),
            ('--vm_project_uuid=admin',),
            ('--tap_name=tap/x',),
            ('--agent_port=http',),
            ('--agent_port=70000',),
        ]
        for case in cases:
            self.assertEqual(1, self.add(*case), case)
        self.assertEqual(1, self.run_cli('--oper=delete', '--uuid=X'))
        self.assertEqual(1, self.run_cli('--oper=add',
                                         '--uuid=' + PORT.upper()))
        self.assertEqual(1, port_control.main([
            '--oper=delete', '--uuid=' + PORT,
            '--port_json_path=relative']))
        self.assertIn('Invalid argument for oper create',
                      self.stderr.getvalue())

    def test_no_persist_values(self):
        parser = port_control.build_parser()
        for value, expected in (('--no_persist', True),
                                ('--no_persist=True', True),
                                ('--no_persist=1', True),
                                ('--no_persist=false', False),
                                ('--no_persist=', False)):
            args = parser.parse_args(['--oper=add', '--uuid=x', value])
            self.assertEqual(expected, args.no_persist, value)
        args = parser.parse_args(['--oper=add', '--uuid=x'])
        self.assertFalse(args.no_persist)
