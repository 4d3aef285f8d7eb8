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

"""A port is parsed once, where it enters: from_vif and from_cli."""

import ipaddress

from os_vif import objects
from os_vif.objects import fields as osv_fields

from os_vif_translate import datapath
from os_vif_translate import exception as osvt_exception
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import ports
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
NETWORK = '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c'
PROJECT_HEX = '9a8b7c6d5e4f30211203f4e5d6c7b8a9'
PROJECT = '9a8b7c6d-5e4f-3021-1203-f4e5d6c7b8a9'
VF = '0000:0a:00.2'


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


class TestFromVif(base.TestCase):

    def test_kernel_port(self):
        port = ports.from_vif(make_vif(ips=[
            ('2001:db8::/64', ['2001:db8::10', '2001:db8::11']),
            ('10.0.0.0/24', ['10.0.0.10', '10.0.0.11']),
            ('10.1.0.0/24', ['10.1.0.10']),
        ]), make_info())
        self.assertEqual(ports.Port(
            attachment=ports.Attachment(PORT, datapath.KERNEL),
            device='tap5ac0a8a5-7d',
            instance_id=INSTANCE,
            network_id=NETWORK,
            mac_address='fa:16:3e:12:34:56',
            display_name='vm-1',
            project_id=PROJECT,
            ipv4=ipaddress.IPv4Address('10.0.0.10'),
            ipv6=ipaddress.IPv6Address('2001:db8::10')), port)
        self.assertEqual(PORT, port.id)

    def test_frozen(self):
        port = ports.from_vif(make_vif(), make_info())
        self.assertRaises(AttributeError, setattr, port, 'device', 'tapx')

    def test_no_addresses(self):
        port = ports.from_vif(make_vif(), make_info())
        self.assertIsNone(port.ipv4)
        self.assertIsNone(port.ipv6)

    def test_instance_without_name_or_project(self):
        port = ports.from_vif(make_vif(), make_info(name=None,
                                                    project_id=None))
        self.assertEqual('', port.display_name)
        self.assertEqual('', port.project_id)

    def test_display_name_from_instance_info(self):
        name = 'web "front" -- 1\nprod'
        port = ports.from_vif(make_vif(), make_info(name=name))
        self.assertEqual(name, port.display_name)

    def test_vif_without_network(self):
        vif = objects.vif.VIFGeneric(id=PORT, address='fa:16:3e:12:34:56',
                                     vif_name='tapx', plugin='vrouter')
        exc = self.assertRaises(exception.InvalidPortData, ports.from_vif,
                                vif, make_info())
        self.assertIn(PORT, str(exc))
        self.assertIn('no network', str(exc))

    def test_vif_without_address(self):
        vif = make_vif()
        vif.address = None
        self.assertRaises(exception.InvalidPortData, ports.from_vif,
                          vif, make_info())

    def test_refused_values(self):
        cases = [
            ('id', PORT.upper(), osvt_exception.InvalidPortId),
            ('vif_name', 'tap/../x', osvt_exception.InvalidDeviceName),
            ('address', '00:00:00:00:00:00', exception.InvalidPortData),
        ]
        for field, value, error in cases:
            vif = make_vif()
            setattr(vif, field, value)
            self.assertRaises(error, ports.from_vif, vif, make_info())
        vif = make_vif()
        vif.network.id = '00000000-0000-0000-0000-000000000000'
        self.assertRaises(exception.InvalidPortData, ports.from_vif, vif,
                          make_info())
        self.assertRaises(exception.InvalidPortData, ports.from_vif,
                          make_vif(), make_info(project_id='admin'))

    def test_dpdk_port(self):
        for mode, agent_mode, socket in (
                ('server', constants.VHOSTUSER_MODE_VROUTER_CLIENT, None),
                ('client', constants.VHOSTUSER_MODE_VROUTER_SERVER,
                 '/run/vrouter/uvh_vif_x')):
            vif = make_vif(cls=objects.vif.VIFVHostUser, mode=mode,
                           path='/run/vrouter/uvh_vif_x')
            port = ports.from_vif(vif, make_info())
            self.assertEqual(datapath.DPDK, port.attachment.datapath)
            self.assertEqual(ports.VhostUser(agent_mode, socket),
                             port.vhostuser)
            self.assertEqual('tap5ac0a8a5-7d', port.device)

    def test_dpdk_port_needs_the_socket_the_vrouter_creates(self):
        vif = make_vif(cls=objects.vif.VIFVHostUser, mode='client')
        exc = self.assertRaises(exception.InvalidPortData, ports.from_vif,
                                vif, make_info())
        self.assertIn('no path', str(exc))
        # QEMU creates it: the plug does not wait for it.
        vif.mode = 'server'
        self.assertIsNone(ports.from_vif(vif, make_info()).vhostuser.socket)

    def test_offloaded_port(self):
        vif = objects.vif.VIFHostDevice(
            id=PORT, address='fa:16:3e:12:34:56', plugin='vrouter',
            dev_type=osv_fields.VIFHostDeviceDevType.ETHERNET,
            dev_address=VF.upper(),
            port_profile=vifs.representor_profile(VF.upper(), 'tapx'),
            network=objects.network.Network(id=NETWORK))
        port = ports.from_vif(vif, make_info())
        self.assertEqual(ports.Attachment(
            PORT, datapath.OFFLOAD_DIRECT, ports.Representor(VF, 'tapx')),
            port.attachment)
        self.assertTrue(port.attachment.offloaded)
        # Found at plug.
        self.assertIsNone(port.device)
        self.assertEqual('eth5', port.on_device('eth5').device)
        # No VF in the profile: the VIF's own device address.
        vif.port_profile.datapath_offload.representor_address = None
        self.assertEqual(VF, ports.from_vif(
            vif, make_info()).attachment.representor.vf_address)

    def test_attachment_needs_only_what_unplug_needs(self):
        vif = make_vif()
        for field in ('vif_name', 'address', 'network'):
            delattr(vif, field)
        self.assertEqual(ports.Attachment(PORT, datapath.KERNEL),
                         ports.attachment_of(vif))
        self.assertRaises(exception.InvalidPortData, ports.from_vif, vif,
                          make_info())

    def test_port_id_of(self):
        self.assertEqual(PORT, ports.port_id_of(make_vif()))
        self.assertEqual('<unknown>',
                         ports.port_id_of(objects.vif.VIFGeneric()))


class TestFromCli(base.TestCase):

    def _from_cli(self, **kwargs):
        args = dict(port_id=PORT, instance_id=INSTANCE, vn_id=NETWORK,
                    display_name='vm-1', mac='fa:16:3e:12:34:56',
                    tap_name='tap5ac0a8a5-7d')
        args.update(kwargs)
        return ports.from_cli(**args)

    def test_kernel_port(self):
        self.assertEqual(ports.Port(
            attachment=ports.Attachment(PORT, datapath.KERNEL),
            device='tap5ac0a8a5-7d',
            instance_id=INSTANCE,
            network_id=NETWORK,
            mac_address='fa:16:3e:12:34:56',
            display_name='vm-1',
            author='vrouter-port-control (os-vif-vrouter)'),
            self._from_cli())

    def test_dpdk_port(self):
        port = self._from_cli(vhostuser_mode=0, vhostuser_socket='/run/s')
        self.assertEqual(datapath.DPDK, port.attachment.datapath)
        self.assertEqual(ports.VhostUser(0, '/run/s'), port.vhostuser)
        self.assertEqual('/run/s', port.vhostuser.vrouter_socket)
        port = self._from_cli(vhostuser_mode=1, vhostuser_socket='/run/s')
        self.assertIsNone(port.vhostuser.vrouter_socket)

    def test_addresses_parsed(self):
        port = self._from_cli(ip_address='10.0.0.5',
                              ipv6_address='2001:DB8:0:0::5')
        self.assertEqual(ipaddress.IPv4Address('10.0.0.5'), port.ipv4)
        self.assertEqual(ipaddress.IPv6Address('2001:db8::5'), port.ipv6)

    def test_refused_values(self):
        cases = [
            dict(port_id=PORT.upper()),
            dict(instance_id='not-a-uuid'),
            dict(vn_id='00000000-0000-0000-0000-000000000000'),
            dict(vn_id=None),
            dict(mac='00:00:00:00:00:00'),
            dict(tap_name='tap/../x'),
            dict(tap_name=None),
            dict(ip_address='2001:db8::1'),
            dict(ip_address='None'),
            dict(ipv6_address='10.0.0.1'),
            dict(port_type=True),
            dict(port_type=3),
            dict(rx_vlan_id=True),
            dict(tx_vlan_id=4096),
            dict(tx_vlan_id='-1'),
            dict(vhostuser_mode=True, vhostuser_socket='/run/s'),
            dict(vhostuser_mode=2, vhostuser_socket='/run/s'),
            dict(vhostuser_mode=0),
            dict(project='admin'),
        ]
        for case in cases:
            self.assertRaises(exception.PLUGIN_ERRORS, self._from_cli,
                              **case)

    def test_nil_network_allowed_for_namespace_ports(self):
        port = self._from_cli(vn_id='00000000-0000-0000-0000-000000000000',
                              port_type=constants.PORT_TYPE_NAMESPACE)
        self.assertEqual('00000000-0000-0000-0000-000000000000',
                         port.network_id)

    def test_display_name_untouched(self):
        for name in ('my "quoted" vm', 'two  spaces', 'line\nbreak',
                     '--oper=delete', "it's -- done", 'ünïcödé ☃', ''):
            self.assertEqual(name, self._from_cli(
                display_name=name).display_name)


class TestChecks(base.TestCase):

    def test_uuid_refuses_nil(self):
        self.assertRaises(exception.InvalidPortData, ports.uuid, PORT,
                          ports.NIL_UUID, 'network id')
        self.assertEqual(PORT, ports.uuid(PORT, PORT, 'network id'))

    def test_project_id(self):
        self.assertEqual('', ports.project_id(PORT, None))
        self.assertEqual('', ports.project_id(PORT, ''))
        self.assertEqual('0123abcd-0123-abcd-0123-abcd0123abcd',
                         ports.project_id(
                             PORT, '0123ABCD0123abcd0123abcd0123abcd'))
        self.assertEqual('0123abcd-0123-abcd-0123-abcd0123abcd',
                         ports.project_id(
                             PORT, '0123ABCD-0123-abcd-0123-abcd0123abcd'))
        for bad in ('admin', '0123abcd' * 3, 'x' * 32, 32):
            self.assertRaises(exception.InvalidPortData,
                              ports.project_id, PORT, bad)

    def test_mac_address(self):
        self.assertEqual('fa:16:3E:00:00:01',
                         ports.mac_address(PORT, 'fa:16:3E:00:00:01'))
        for bad in ('00:00:00:00:00:00', 'fa-16-3e-00-00-01',
                    'fa:16:3e:00:00', 'fa:16:3e:00:00:01:02', 'fa16.3e00.0001',
                    'fa:16:3e:0:0:1', None):
            self.assertRaises(exception.InvalidPortData,
                              ports.mac_address, PORT, bad)

    def test_pci_address(self):
        self.assertEqual('0000:0a:00.1',
                         ports.pci_address(PORT, '0000:0A:00.1'))
        for bad in ('0a:00.1', '0000:0a:00.8', '0000:0a:20.1', None,
                    '0000:0a:00.1/..'):
            self.assertRaises(exception.InvalidPortData,
                              ports.pci_address, PORT, bad)
