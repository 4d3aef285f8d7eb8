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

"""The agent's JSON of a port: formatting only, and its one parser."""

import datetime
import json

from os_vif_vrouter import port_request
from os_vif_vrouter import ports
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
NETWORK = '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c'
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def port(**kwargs):
    args = dict(port_id=PORT, instance_id=INSTANCE, vn_id=NETWORK,
                display_name='vm-1', mac='fa:16:3e:12:34:56',
                tap_name='tap5ac0a8a5-7d')
    args.update(kwargs)
    return ports.from_cli(**args)


class TestBody(base.TestCase):

    def test_kernel_port(self):
        self.assertEqual(
            [('id', PORT), ('instance-id', INSTANCE),
             ('ip-address', '0.0.0.0'), ('ip6-address', '::'),
             ('vn-id', NETWORK), ('display-name', 'vm-1'),
             ('vm-project-id', ''), ('mac-address', 'fa:16:3e:12:34:56'),
             ('system-name', 'tap5ac0a8a5-7d'), ('type', 0),
             ('rx-vlan-id', -1), ('tx-vlan-id', -1),
             ('author', 'vrouter-port-control (os-vif-vrouter)'),
             ('time', '2026-01-02T03:04:05+00:00')],
            list(port_request.body(port(), now=NOW).items()))

    def test_vhostuser_mode_sent_only_for_dpdk_ports(self):
        self.assertNotIn('vhostuser-mode', port_request.body(port()))
        for mode in (0, 1):
            self.assertEqual(mode, port_request.body(port(
                vhostuser_mode=mode, vhostuser_socket='/run/s'))[
                    'vhostuser-mode'])

    def test_addresses_in_their_short_form(self):
        request = port_request.body(port(ip_address='10.0.0.5',
                                         ipv6_address='2001:DB8:0:0::5'))
        self.assertEqual('10.0.0.5', request['ip-address'])
        self.assertEqual('2001:db8::5', request['ip6-address'])

    def test_offloaded_port_needs_its_device(self):
        offloaded = port().on_device(None)
        self.assertRaises(ValueError, port_request.body, offloaded)

    def test_display_name_untouched(self):
        for name in ('my "quoted" vm', 'line\nbreak', '--oper=delete',
                     'ünïcödé ☃', ''):
            text = port_request.to_json(port_request.body(port(
                display_name=name)))
            self.assertEqual(name, json.loads(text)['display-name'])

    def test_json_is_ascii(self):
        text = port_request.to_json(port_request.body(port(
            display_name='☃\n"')))
        text.encode('ascii')
        self.assertIn('\\u2603\\n\\"', text)


class TestParse(base.TestCase):

    def test_object(self):
        request = port_request.body(port())
        self.assertEqual(request, port_request.parse(
            port_request.to_json(request)))

    def test_not_an_object(self):
        for text in ('', '{"id": "trunc', '[1, 2]', 'null', '"x"', '\ufffd'):
            self.assertIs(port_request.UNREADABLE, port_request.parse(text),
                          text)
