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

import json
from unittest import mock

from os_vif.objects import fields as osv_fields
from os_vif.objects import vif as osv_vif
from oslotest import base
import testscenarios

import os_vif_translate
from os_vif_translate import datapath
from os_vif_translate import exception
from os_vif_translate.tests.unit import fixtures_vif as fx
from os_vif_translate import validate


load_tests = testscenarios.load_tests_apply_scenarios


class TranslateTestCase(base.BaseTestCase):

    def test_kernel(self):
        obj = os_vif_translate.translate(fx.kernel())
        self.assertIsInstance(obj, osv_vif.VIFGeneric)
        self.assertEqual('vrouter', obj.plugin)
        self.assertEqual(fx.DEVNAME, obj.vif_name)
        self.assertEqual(fx.PORT_ID, obj.id)
        self.assertEqual(fx.MAC, obj.address)
        self.assertTrue(obj.has_traffic_filtering)
        self.assertTrue(obj.active)
        self.assertFalse(obj.preserve_on_delete)
        self.assertNotIn('port_profile', obj)

    def test_the_port_id_is_checked_once(self):
        for make in (fx.kernel, fx.dpdk, fx.offload_direct,
                     fx.offload_virtio_forwarder):
            with mock.patch.object(validate, 'port_id',
                                   wraps=validate.port_id) as check:
                os_vif_translate.translate(make())
            self.assertEqual(1, check.call_count, make.__name__)

    def test_kernel_devname_fallback_is_tap(self):
        vif = fx.kernel()
        del vif['devname']
        obj = os_vif_translate.translate(vif)
        self.assertEqual('tapdc065497-3c', obj.vif_name)

    def test_dpdk(self):
        obj = os_vif_translate.translate(fx.dpdk())
        self.assertIsInstance(obj, osv_vif.VIFVHostUser)
        self.assertEqual('contrail_vrouter', obj.plugin)
        self.assertEqual('server', obj.mode)
        self.assertEqual(fx.SOCKET, obj.path)
        self.assertEqual(fx.DEVNAME, obj.vif_name)
        self.assertNotIn('port_profile', obj)

    def test_dpdk_mode_defaults_to_server(self):
        vif = fx.dpdk()
        del vif['details']['vhostuser_mode']
        self.assertEqual('server', os_vif_translate.translate(vif).mode)

    def test_dpdk_client_mode(self):
        vif = fx.dpdk()
        vif['details']['vhostuser_mode'] = 'client'
        self.assertEqual('client', os_vif_translate.translate(vif).mode)

    def test_offload_direct(self):
        obj = os_vif_translate.translate(fx.offload_direct())
        self.assertIsInstance(obj, osv_vif.VIFHostDevice)
        self.assertEqual('vrouter', obj.plugin)
        self.assertEqual(osv_fields.VIFHostDeviceDevType.ETHERNET,
                         obj.dev_type)
        self.assertEqual(fx.PCI_SLOT, obj.dev_address)
        offload = obj.port_profile.datapath_offload
        self.assertIsInstance(offload, osv_vif.DatapathOffloadRepresentor)
        self.assertEqual(fx.DEVNAME, offload.representor_name)
        self.assertEqual(fx.PCI_SLOT, offload.representor_address)

    def test_offload_virtio_forwarder(self):
        obj = os_vif_translate.translate(fx.offload_virtio_forwarder())
        self.assertIsInstance(obj, osv_vif.VIFVHostUser)
        self.assertEqual('vrouter', obj.plugin)
        self.assertEqual('server', obj.mode)
        self.assertEqual(fx.SOCKET, obj.path)
        self.assertEqual(fx.DEVNAME, obj.vif_name)
        offload = obj.port_profile.datapath_offload
        self.assertEqual(fx.DEVNAME, offload.representor_name)
        self.assertEqual(fx.PCI_SLOT, offload.representor_address)

    def test_network(self):
        net = os_vif_translate.translate(fx.kernel()).network
        self.assertEqual(fx.NETWORK_ID, net.id)
        self.assertEqual('tenant-net', net.label)
        self.assertEqual(1450, net.mtu)
        self.assertIsNone(net.bridge_interface)
        self.assertNotIn('bridge', net)
        v4, v6 = net.subnets.objects
        self.assertEqual('10.0.0.0/24', str(v4.cidr))
        self.assertEqual('10.0.0.1', str(v4.gateway))
        self.assertEqual(['10.0.0.2'], [str(a) for a in v4.dns])
        self.assertEqual(['10.0.0.5'], [str(ip.address)
                                        for ip in v4.ips.objects])
        self.assertEqual(['192.0.2.10'],
                         [str(f) for f in v4.ips.objects[0].floating_ips])
        route = v4.routes.objects[0]
        self.assertEqual('192.168.0.0/16', str(route.cidr))
        self.assertEqual('10.0.0.254', str(route.gateway))
        self.assertNotIn('interface', route)
        self.assertEqual(['fd00::5'], [str(ip.address)
                                       for ip in v6.ips.objects])

    def test_network_without_mtu(self):
        vif = fx.kernel()
        del vif['network']['meta']['mtu']
        self.assertIsNone(os_vif_translate.translate(vif).network.mtu)

    def test_json_round_trip(self):
        # What Nova stores in the database is JSON: the dict read back
        # translates to the same object.
        vif = fx.offload_virtio_forwarder()
        again = json.loads(json.dumps(vif))
        self.assertEqual(
            os_vif_translate.translate(vif).obj_to_primitive(),
            os_vif_translate.translate(again).obj_to_primitive())

    def test_minimal_dict(self):
        # Only the keys a vRouter binding cannot do without.
        obj = os_vif_translate.translate({
            'id': fx.PORT_ID, 'type': 'vrouter', 'address': fx.MAC,
            'network': {'id': fx.NETWORK_ID}})
        self.assertEqual('tapdc065497-3c', obj.vif_name)
        self.assertFalse(obj.active)
        self.assertFalse(obj.has_traffic_filtering)
        self.assertEqual([], obj.network.subnets.objects)


def _without(vif, *path):
    *parents, key = path
    node = vif
    for parent in parents:
        node = node[parent]
    del node[key]
    return vif


class NotHandledTestCase(base.BaseTestCase):
    """Bindings that are not for the vRouter give None (callers fall back).
    """

    scenarios = [
        ('ovs', dict(vif=fx.kernel(type='ovs'))),
        ('bridge', dict(vif=fx.kernel(type='bridge'))),
        ('hw_veb', dict(vif=fx.kernel(type='hw_veb', vnic_type='direct'))),
        ('vhostuser_ovs', dict(vif=fx.dpdk(details={
            'vhostuser_socket': fx.SOCKET, 'vhostuser_ovs_plug': True}))),
        ('vhostuser_plain', dict(vif=fx.dpdk(details={
            'vhostuser_socket': fx.SOCKET}))),
        ('binding_failed', dict(vif=fx.kernel(type='binding_failed'))),
        ('no_type', dict(vif=_without(fx.kernel(), 'type'))),
        ('vhostuser_details_list', dict(
            vif=fx.dpdk(details=['vhostuser_vrouter_plug']))),
        ('type_none', dict(vif=fx.kernel(type=None))),
        ('type_unhashable', dict(vif=fx.kernel(type=['vrouter']))),
        # Not ours, so not validated: the caller decides about it.
        ('ovs_bad_id', dict(vif=fx.kernel(type='ovs', id='not-a-uuid'))),
    ]

    def test_returns_none(self):
        self.assertIsNone(os_vif_translate.translate(self.vif))
        self.assertIsNone(os_vif_translate.datapath_of(self.vif))
        self.assertFalse(os_vif_translate.is_vrouter_vif(self.vif))


class DatapathTestCase(base.BaseTestCase):

    scenarios = [
        ('kernel', dict(vif=fx.kernel(), expected=datapath.KERNEL)),
        ('kernel_vnic_none', dict(vif=fx.kernel(vnic_type=None),
                                  expected=datapath.KERNEL)),
        ('dpdk', dict(vif=fx.dpdk(), expected=datapath.DPDK)),
        ('direct', dict(vif=fx.offload_direct(),
                        expected=datapath.OFFLOAD_DIRECT)),
        ('forwarder', dict(vif=fx.offload_virtio_forwarder(),
                           expected=datapath.OFFLOAD_VIRTIO_FORWARDER)),
    ]

    def test_datapath_of(self):
        self.assertEqual(self.expected, os_vif_translate.datapath_of(self.vif))
        self.assertTrue(os_vif_translate.is_vrouter_vif(self.vif))


class TypedErrorTestCase(base.BaseTestCase):
    """Every way a binding can be wrong gives its own typed error.

    Each message names the port, and nothing but TranslationError
    subclasses ever reaches the caller.
    """

    scenarios = [
        # Unsupported vnic types for a 'vrouter' binding.
        ('vnic_macvtap', dict(vif=fx.kernel(vnic_type='macvtap'),
                              error=exception.UnsupportedVnicType,
                              mentions='macvtap')),
        ('vnic_direct_physical', dict(
            vif=fx.kernel(vnic_type='direct-physical'),
            error=exception.UnsupportedVnicType,
            mentions='direct-physical')),
        ('vnic_vdpa', dict(vif=fx.kernel(vnic_type='vdpa'),
                           error=exception.UnsupportedVnicType,
                           mentions='vdpa')),
        ('vnic_remote_managed', dict(
            vif=fx.kernel(vnic_type='remote-managed'),
            error=exception.UnsupportedVnicType, mentions='remote-managed')),
        ('vnic_baremetal', dict(vif=fx.kernel(vnic_type='baremetal'),
                                error=exception.UnsupportedVnicType,
                                mentions='baremetal')),
        ('vnic_not_a_string', dict(vif=fx.kernel(vnic_type=['direct']),
                                   error=exception.MalformedVIF,
                                   mentions='vnic_type')),
        # PCI slot of offloaded ports.
        ('direct_no_pci_slot', dict(vif=fx.offload_direct(profile={}),
                                    error=exception.MissingPciSlot,
                                    mentions='pci_slot')),
        ('direct_no_profile', dict(
            vif=_without(fx.offload_direct(), 'profile'),
            error=exception.MissingPciSlot, mentions='pci_slot')),
        ('direct_empty_pci_slot', dict(
            vif=fx.offload_direct(profile={'pci_slot': ''}),
            error=exception.MissingPciSlot, mentions='pci_slot')),
        ('direct_bad_pci_slot', dict(
            vif=fx.offload_direct(profile={'pci_slot': '08:08.5'}),
            error=exception.InvalidPciSlot, mentions='08:08.5')),
        ('direct_pci_slot_int', dict(
            vif=fx.offload_direct(profile={'pci_slot': 42}),
            error=exception.InvalidPciSlot, mentions='42')),
        ('forwarder_no_pci_slot', dict(
            vif=fx.offload_virtio_forwarder(profile={}),
            error=exception.MissingPciSlot, mentions='virtio-forwarder')),
        ('profile_not_a_mapping', dict(
            vif=fx.offload_direct(profile='0000:08:08.5'),
            error=exception.MalformedVIF, mentions='profile')),
        # vhost-user socket and mode.
        ('dpdk_no_socket', dict(
            vif=_without(fx.dpdk(), 'details', 'vhostuser_socket'),
            error=exception.MissingVhostUserSocketPath,
            mentions='vhostuser_socket')),
        ('dpdk_empty_socket', dict(
            vif=fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                     vhostuser_socket='')),
            error=exception.MissingVhostUserSocketPath,
            mentions='vhostuser_socket')),
        ('dpdk_relative_socket', dict(
            vif=fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                     vhostuser_socket='uvh_vif_tap1')),
            error=exception.InvalidVhostUserSocketPath,
            mentions='absolute')),
        ('dpdk_long_socket', dict(
            vif=fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                     vhostuser_socket='/' + 'x' * 120)),
            error=exception.InvalidVhostUserSocketPath,
            mentions='UNIX socket')),
        ('dpdk_socket_newline', dict(
            vif=fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                     vhostuser_socket='/run/a\nb')),
            error=exception.InvalidVhostUserSocketPath,
            mentions='newline')),
        ('dpdk_socket_directory', dict(
            vif=fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                     vhostuser_socket='/run/vrouter/')),
            error=exception.InvalidVhostUserSocketPath,
            mentions='directory')),
        ('dpdk_socket_not_a_string', dict(
            vif=fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                     vhostuser_socket=['/run/x'])),
            error=exception.InvalidVhostUserSocketPath,
            mentions='not a string')),
        ('dpdk_bad_mode', dict(
            vif=fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                     vhostuser_mode='listen')),
            error=exception.InvalidVhostUserMode, mentions='listen')),
        ('forwarder_no_socket', dict(
            vif=_without(fx.offload_virtio_forwarder(), 'details',
                         'vhostuser_socket'),
            error=exception.MissingVhostUserSocketPath,
            mentions='vhostuser_socket')),
        ('details_not_a_mapping', dict(
            vif=fx.kernel(details=['port_filter']),
            error=exception.MalformedVIF, mentions='details')),
        # MAC address.
        ('mac_dashes', dict(vif=fx.kernel(address='fa-16-3e-4c-2c-30'),
                            error=exception.InvalidMacAddress,
                            mentions='fa-16-3e-4c-2c-30')),
        ('mac_zero', dict(vif=fx.kernel(address='00:00:00:00:00:00'),
                          error=exception.InvalidMacAddress,
                          mentions='00:00:00:00:00:00')),
        ('mac_short', dict(vif=fx.kernel(address='fa:16:3e:4c:2c'),
                           error=exception.InvalidMacAddress,
                           mentions='fa:16:3e:4c:2c')),
        ('mac_none', dict(vif=fx.kernel(address=None),
                          error=exception.MalformedVIF,
                          mentions='address')),
        ('mac_int', dict(vif=fx.kernel(address=42),
                         error=exception.MalformedVIF, mentions='address')),
        # Port and network ids.
        ('port_id_upper', dict(vif=fx.kernel(id=fx.PORT_ID.upper()),
                               error=exception.InvalidPortId,
                               mentions=fx.PORT_ID.upper())),
        ('port_id_not_uuid', dict(vif=fx.kernel(id='../../etc/passwd'),
                                  error=exception.InvalidPortId,
                                  mentions='../../etc/passwd')),
        ('port_id_int', dict(vif=fx.kernel(id=7),
                             error=exception.InvalidPortId,
                             mentions='7')),
        ('network_id_bad', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, id='net-1')),
            error=exception.InvalidNetworkId, mentions='net-1')),
        ('network_id_nil', dict(
            vif=fx.kernel(network=dict(
                fx.NETWORK, id='00000000-0000-0000-0000-000000000000')),
            error=exception.InvalidNetworkId, mentions='00000000-0000')),
        # Device names.
        ('devname_too_long', dict(vif=fx.kernel(devname='tap0123456789abc'),
                                  error=exception.InvalidDeviceName,
                                  mentions='tap0123456789abc')),
        ('devname_slash', dict(vif=fx.kernel(devname='tap/../x'),
                               error=exception.InvalidDeviceName,
                               mentions='tap/../x')),
        ('devname_space', dict(vif=fx.kernel(devname='tap x'),
                               error=exception.InvalidDeviceName,
                               mentions='tap x')),
        ('devname_empty', dict(vif=fx.kernel(devname=''),
                               error=exception.InvalidDeviceName,
                               mentions="''")),
        # 10 characters, 17 bytes: IFNAMSIZ counts bytes.
        ('devname_too_many_bytes', dict(
            vif=fx.kernel(devname='tap' + '\u00e9' * 7),
            error=exception.InvalidDeviceName, mentions='tap')),
        ('devname_nul', dict(vif=fx.kernel(devname='tap\x00x'),
                             error=exception.InvalidDeviceName,
                             mentions='tap')),
        ('devname_dots', dict(vif=fx.kernel(devname='..'),
                              error=exception.InvalidDeviceName,
                              mentions="'..'")),
        ('direct_devname_colon', dict(
            vif=fx.offload_direct(devname='eth0:1'),
            error=exception.InvalidDeviceName, mentions='eth0:1')),
        # Malformed structure.
        ('no_network', dict(vif=_without(fx.kernel(), 'network'),
                            error=exception.MalformedVIF,
                            mentions="'network'")),
        ('network_none', dict(vif=fx.kernel(network=None),
                              error=exception.MalformedVIF,
                              mentions='network must be')),
        ('network_list', dict(vif=fx.kernel(network=[]),
                              error=exception.MalformedVIF,
                              mentions='network')),
        ('no_network_id', dict(vif=_without(fx.kernel(), 'network', 'id'),
                               error=exception.MalformedVIF,
                               mentions="'id'")),
        ('no_address', dict(vif=_without(fx.kernel(), 'address'),
                            error=exception.MalformedVIF,
                            mentions="'address'")),
        ('no_id', dict(vif=_without(fx.kernel(), 'id'),
                       error=exception.MalformedVIF, mentions="'id'")),
        ('subnets_dict', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, subnets={})),
            error=exception.MalformedVIF, mentions='subnets')),
        ('subnet_not_mapping', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, subnets=['10.0.0.0/24'])),
            error=exception.MalformedVIF, mentions='subnets[0]')),
        ('ip_without_address', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, subnets=[
                {'cidr': '10.0.0.0/24', 'ips': [{'type': 'fixed'}]}])),
            error=exception.MalformedVIF, mentions='ips[0]')),
        ('ip_not_an_address', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, subnets=[
                {'cidr': '10.0.0.0/24', 'ips': [{'address': '10.0.0'}]}])),
            error=exception.MalformedVIF, mentions='10.0.0')),
        ('cidr_not_a_network', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, subnets=[
                {'cidr': 'ten/24', 'ips': []}])),
            error=exception.MalformedVIF, mentions='ten/24')),
        ('mtu_string', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, meta={'mtu': '1500'})),
            error=exception.MalformedVIF, mentions='mtu')),
        ('mtu_bool', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, meta={'mtu': True})),
            error=exception.MalformedVIF, mentions='mtu')),
        ('mtu_zero', dict(
            vif=fx.kernel(network=dict(fx.NETWORK, meta={'mtu': 0})),
            error=exception.MalformedVIF, mentions='mtu')),
        ('active_string', dict(vif=fx.kernel(active='yes'),
                               error=exception.MalformedVIF,
                               mentions='active')),
        ('port_filter_string', dict(
            vif=fx.kernel(details={'port_filter': 'true'}),
            error=exception.MalformedVIF, mentions='port_filter')),
        ('not_a_mapping', dict(vif=['vrouter'],
                               error=exception.MalformedVIF,
                               mentions='mapping')),
        ('none', dict(vif=None, error=exception.MalformedVIF,
                      mentions='mapping')),
    ]

    def test_typed_error(self):
        if isinstance(self.vif, dict):
            # Still routed to the vRouter paths, which report the error.
            self.assertTrue(os_vif_translate.is_vrouter_vif(self.vif))
        exc = self.assertRaises(self.error, os_vif_translate.translate,
                                self.vif)
        self.assertIsInstance(exc, exception.TranslationError)
        message = str(exc)
        self.assertIn(self.mentions, message)
        # The port is named, unless the id itself is what is missing.
        if isinstance(self.vif, dict) and isinstance(self.vif.get('id'),
                                                     str):
            self.assertIn(self.vif['id'], message)
        # msg_fmt was formatted with the kwargs of the raise site, not
        # printed raw.
        self.assertNotIn('%(', message)
