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

import datetime
import json

from os_vif import objects
from os_vif.objects import fields as osv_fields

from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import port_request
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import classic_files

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
NETWORK = '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c'
PROJECT_HEX = '9a8b7c6d5e4f30211203f4e5d6c7b8a9'
PROJECT = '9a8b7c6d-5e4f-3021-1203-f4e5d6c7b8a9'
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def make_vif(ips=(), cls=objects.vif.VIFGeneric, **kwargs):
    subnets = []
    for cidr, addresses in ips:
        subnets.append(objects.subnet.Subnet(
            cidr=cidr,
            ips=objects.fixed_ip.FixedIPList(objects=[
                objects.fixed_ip.FixedIP(address=a) for a in addresses])))
    kwargs.setdefault('vif_name', 'tap5ac0a8a5-7d')
    return cls(
        id=PORT, address='fa:16:3e:12:34:56', plugin='vrouter',
        network=objects.network.Network(
            id=NETWORK,
            subnets=objects.subnet.SubnetList(objects=subnets)),
        **kwargs)


def make_info(name='vm-1', project_id=PROJECT_HEX):
    info = objects.instance_info.InstanceInfo(uuid=INSTANCE)
    if name is not None:
        info.name = name
    if project_id is not None:
        info.project_id = project_id
    return info


class TestBuild(base.TestCase):

    def _build(self, **kwargs):
        args = dict(port_id=PORT, instance_id=INSTANCE, vn_id=NETWORK,
                    display_name='vm-1', mac_address='fa:16:3e:12:34:56',
                    system_name='tap5ac0a8a5-7d', now=NOW)
        args.update(kwargs)
        return port_request.build(**args)

    def test_kernel_port(self):
        self.assertEqual(
            [('id', PORT), ('instance-id', INSTANCE),
             ('ip-address', '0.0.0.0'), ('ip6-address', '::'),
             ('vn-id', NETWORK), ('display-name', 'vm-1'),
             ('vm-project-id', ''), ('mac-address', 'fa:16:3e:12:34:56'),
             ('system-name', 'tap5ac0a8a5-7d'), ('type', 0),
             ('rx-vlan-id', -1), ('tx-vlan-id', -1),
             ('author', 'os-vif-vrouter'),
             ('time', '2026-01-02T03:04:05+00:00')],
            list(self._build().items()))

    def test_vhostuser_mode_sent_only_when_given(self):
        self.assertNotIn('vhostuser-mode', self._build())
        self.assertEqual(1, self._build(vhostuser_mode=1)['vhostuser-mode'])
        self.assertEqual(0, self._build(vhostuser_mode=0)['vhostuser-mode'])

    def test_addresses_normalised(self):
        request = self._build(ip_address='10.0.0.5',
                              ip6_address='2001:DB8:0:0::5')
        self.assertEqual('10.0.0.5', request['ip-address'])
        self.assertEqual('2001:db8::5', request['ip6-address'])

    def test_refused_values(self):
        cases = [
            dict(port_id=PORT.upper()),
            dict(instance_id='not-a-uuid'),
            dict(vn_id='00000000-0000-0000-0000-000000000000'),
            dict(vn_id=None),
            dict(mac_address='00:00:00:00:00:00'),
            dict(system_name='tap/../x'),
            dict(ip_address='2001:db8::1'),
            dict(ip_address='None'),
            dict(ip6_address='10.0.0.1'),
            dict(display_name=7),
            dict(port_type=True),
            dict(port_type=3),
            dict(rx_vlan_id=True),
            dict(tx_vlan_id=4096),
            dict(tx_vlan_id='-1'),
            dict(vhostuser_mode=True),
            dict(vhostuser_mode=2),
            dict(project_id='admin'),
        ]
        for case in cases:
            self.assertRaises(exception.VRouterException, self._build,
                              **case)

    def test_nil_network_allowed_for_namespace_ports(self):
        request = self._build(vn_id='00000000-0000-0000-0000-000000000000',
                              port_type=constants.PORT_TYPE_NAMESPACE)
        self.assertEqual('00000000-0000-0000-0000-000000000000',
                         request['vn-id'])

    def test_display_name_untouched(self):
        for name in ('my "quoted" vm', 'two  spaces', 'line\nbreak',
                     '--oper=delete', "it's -- done", 'ünïcödé ☃', ''):
            request = self._build(display_name=name)
            self.assertEqual(name, request['display-name'])
            decoded = json.loads(port_request.to_json(request))
            self.assertEqual(name, decoded['display-name'])
        self.assertEqual('', self._build(display_name=None)['display-name'])

    def test_json_is_ascii(self):
        text = port_request.to_json(self._build(display_name='☃\n"'))
        text.encode('ascii')
        self.assertIn('\\u2603\\n\\"', text)


class TestFromVif(base.TestCase):

    def test_first_ipv4_and_ipv6(self):
        vif = make_vif(ips=[
            ('2001:db8::/64', ['2001:db8::10', '2001:db8::11']),
            ('10.0.0.0/24', ['10.0.0.10', '10.0.0.11']),
            ('10.1.0.0/24', ['10.1.0.10']),
        ])
        request = port_request.from_vif(vif, make_info(), 'tap5ac0a8a5-7d')
        self.assertEqual('10.0.0.10', request['ip-address'])
        self.assertEqual('2001:db8::10', request['ip6-address'])
        self.assertEqual(NETWORK, request['vn-id'])
        self.assertEqual('fa:16:3e:12:34:56', request['mac-address'])
        self.assertEqual(INSTANCE, request['instance-id'])
        self.assertEqual(PROJECT, request['vm-project-id'])
        self.assertEqual('vm-1', request['display-name'])
        self.assertEqual(PORT, request['id'])
        self.assertEqual(0, request['type'])

    def test_no_addresses(self):
        request = port_request.from_vif(make_vif(), make_info(), 'tapx')
        self.assertEqual('0.0.0.0', request['ip-address'])
        self.assertEqual('::', request['ip6-address'])

    def test_instance_without_name_or_project(self):
        request = port_request.from_vif(
            make_vif(), make_info(name=None, project_id=None), 'tapx')
        self.assertEqual('', request['display-name'])
        self.assertEqual('', request['vm-project-id'])

    def test_display_name_from_instance_info(self):
        name = 'web "front" -- 1\nprod'
        request = port_request.from_vif(make_vif(), make_info(name=name),
                                        'tapx')
        self.assertEqual(name, request['display-name'])

    def test_vif_without_network(self):
        vif = objects.vif.VIFGeneric(id=PORT, address='fa:16:3e:12:34:56',
                                     vif_name='tapx', plugin='vrouter')
        exc = self.assertRaises(exception.InvalidPortData,
                                port_request.from_vif, vif, make_info(),
                                'tapx')
        self.assertIn(PORT, str(exc))
        self.assertIn('no network', str(exc))

    def test_vif_without_address(self):
        vif = make_vif()
        vif.address = None
        self.assertRaises(exception.InvalidPortData, port_request.from_vif,
                          vif, make_info(), 'tapx')

    def test_host_device(self):
        vif = objects.vif.VIFHostDevice(
            id=PORT, address='fa:16:3e:12:34:56', plugin='vrouter',
            dev_type=osv_fields.VIFHostDeviceDevType.ETHERNET,
            dev_address='0000:0a:00.2',
            network=objects.network.Network(id=NETWORK))
        request = port_request.from_vif(vif, make_info(), 'eth5')
        self.assertEqual('eth5', request['system-name'])


class TestNeedsDeleteFirst(base.TestCase):

    def setUp(self):
        super().setUp()
        self.request = port_request.build(
            PORT, INSTANCE, NETWORK, 'vm', 'fa:16:3e:12:34:56', 'tapa',
            ip_address='10.0.0.1', now=NOW)

    def test_no_old_file(self):
        self.assertFalse(port_request.needs_delete_first(None, self.request))

    def test_same_or_other_fields_changed(self):
        old = dict(self.request, **{'display-name': 'renamed',
                                    'time': 'earlier'})
        self.assertFalse(port_request.needs_delete_first(old, self.request))

    def test_changed_device_ip_mac(self):
        for key, value in (('system-name', 'tapb'),
                           ('ip-address', '10.0.0.2'),
                           ('ip6-address', '2001:db8::1'),
                           ('mac-address', 'fa:16:3e:00:00:01')):
            old = dict(self.request, **{key: value})
            self.assertTrue(port_request.needs_delete_first(old,
                                                            self.request),
                            key)

    def test_unreadable_old_file(self):
        self.assertTrue(port_request.needs_delete_first(object(),
                                                        self.request))


class TestSamePort(base.TestCase):

    def setUp(self):
        super().setUp()
        self.request = port_request.build(
            PORT, INSTANCE, NETWORK, 'vm', 'fa:16:3e:12:34:56', 'tapa',
            ip_address='10.0.0.1', now=NOW)

    def test_only_author_and_time_differ(self):
        old = dict(self.request, author='vrouter-port-control',
                   time='earlier')
        self.assertTrue(port_request.same_port(old, self.request))

    def test_any_other_field_differs(self):
        for key in self.request:
            if key in ('author', 'time'):
                continue
            old = dict(self.request, **{key: 'changed'})
            self.assertFalse(port_request.same_port(old, self.request), key)
        old = dict(self.request, **{'vhostuser-mode': 1})
        self.assertFalse(port_request.same_port(old, self.request))

    def test_no_or_unreadable_old_file(self):
        self.assertFalse(port_request.same_port(None, self.request))
        self.assertFalse(port_request.same_port(object(), self.request))


class TestClassicFiles(base.TestCase):
    """Files written by the classic tooling compare by meaning."""

    def setUp(self):
        super().setUp()
        self.request = port_request.build(
            PORT, INSTANCE, NETWORK, 'vm-1', 'fa:16:3e:12:34:56',
            'tap5ac0a8a5-7d', project_id=PROJECT_HEX, ip_address='10.0.0.5',
            now=NOW)

    def classic(self, **kwargs):
        args = dict(port_id=PORT, instance_id=INSTANCE, vn_id=NETWORK,
                    project=PROJECT_HEX, ip_address='10.0.0.5',
                    ipv6_address='None', vm_name='vm-1',
                    mac='fa:16:3e:12:34:56', tap_name='tap5ac0a8a5-7d')
        args.update(kwargs)
        return json.loads(classic_files.classic_file(**args))

    def assertSame(self, old, request=None):
        request = request or self.request
        self.assertFalse(port_request.needs_delete_first(old, request), old)
        self.assertTrue(port_request.same_port(old, request), old)

    def test_upstream_plugin_file(self):
        vif = make_vif(ips=[('10.0.0.0/24', ['10.0.0.5'])])
        info = make_info()
        old = json.loads(classic_files.upstream_plugin_file(vif, info))
        self.assertEqual('None', old['ip6-address'])
        self.assertEqual(0, old['vhostuser-mode'])
        self.assertSame(old, port_request.from_vif(vif, info,
                                                   'tap5ac0a8a5-7d'))

    def test_no_ipv6_spellings(self):
        for spelling in ('None', '', '::', '0:0::0', None):
            self.assertSame(self.classic(ipv6_address=spelling))

    def test_no_ipv4_spellings(self):
        request = port_request.build(
            PORT, INSTANCE, NETWORK, 'vm-1', 'fa:16:3e:12:34:56',
            'tap5ac0a8a5-7d', project_id=PROJECT_HEX, now=NOW)
        for spelling in ('0.0.0.0', '', 'None', None):
            self.assertSame(self.classic(ip_address=spelling), request)

    def test_addresses_parsed(self):
        request = port_request.build(
            PORT, INSTANCE, NETWORK, 'vm-1', 'fa:16:3e:12:34:56',
            'tap5ac0a8a5-7d', project_id=PROJECT_HEX, ip_address='10.0.0.5',
            ip6_address='2001:db8::5', now=NOW)
        self.assertSame(self.classic(ipv6_address='2001:0DB8:0:0::0005'),
                        request)
        old = self.classic(ipv6_address='2001:db8::6')
        self.assertTrue(port_request.needs_delete_first(old, request))

    def test_mac_in_either_case(self):
        self.assertSame(self.classic(mac='FA:16:3E:12:34:56'))

    def test_project_in_either_form(self):
        old = self.classic()
        old['vm-project-id'] = PROJECT.upper()
        self.assertSame(old)
        old['vm-project-id'] = PROJECT_HEX
        self.assertSame(old)

    def test_real_changes_still_count(self):
        for key, value in (('system-name', 'tapother'),
                           ('ip-address', '10.0.0.6'),
                           ('ip6-address', '2001:db8::1'),
                           ('mac-address', 'fa:16:3e:12:34:57'),
                           ('mac-address', 'not a mac')):
            old = dict(self.classic(), **{key: value})
            self.assertTrue(port_request.needs_delete_first(
                old, self.request), key)
            self.assertFalse(port_request.same_port(old, self.request), key)
        # A DPDK port in the other vhost-user mode is another port.
        old = self.classic(vhostuser_mode=1)
        self.assertFalse(port_request.same_port(old, self.request))
