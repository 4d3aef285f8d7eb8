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

"""The ML2 driver binds ports as the controller does.

The rules: doc/source/admin/bindings.rst.

Each test binds one port the way the ML2 plugin does: Neutron's own
MechanismManager loads the driver by its entry point name
(``vrouter_test``) and binds through Neutron's PortContext, so the
outcome is what Neutron would store (vif_type, vif_details, the bound
segment and driver, the port status), or ``binding_failed``.  Only the
database is left out: the binding is an unsaved row.

=========================  =====================  ==========================
port                       host / segment         expected binding
=========================  =====================  ==========================
normal                     kernel vRouter host    vrouter, port_filter
normal                     DPDK vRouter host      vhostuser, server socket,
                                                  vhostuser_vrouter_plug
direct                     VLAN with an id        hw_veb, port_filter, vlan
direct                     no segmentation id     vrouter, port_filter
virtio-forwarder           no segmentation id     vrouter, vhost-user server
any other vnic type        any                    binding_failed
normal, benchmark profile  any                    tap
=========================  =====================  ==========================
"""

import uuid

import fixtures
from neutron.conf.plugins.ml2 import config as ml2_config
from neutron.plugins.ml2 import driver_context
from neutron.plugins.ml2 import managers
from neutron.plugins.ml2 import models
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_serialization import jsonutils
import testtools

from vrouter_cloud import ml2_vrouter

KERNEL_HOST = 'vrcloud-kernel'
DPDK_HOST = 'vrcloud-dpdk'
# What the controller binds a port on a DPDK host, or a virtio-forwarder
# port, with: QEMU serves the socket that the vRouter connects to.
SOCKET_DIR = '/var/run/vrouter'

ml2_config.register_ml2_plugin_opts()


def segment(network_type, segmentation_id=None, physical_network=None):
    return {api.ID: str(uuid.uuid4()),
            api.NETWORK_TYPE: network_type,
            api.PHYSICAL_NETWORK: physical_network,
            api.SEGMENTATION_ID: segmentation_id}


VXLAN = segment(constants.TYPE_VXLAN, 1042)
LOCAL = segment(constants.TYPE_LOCAL)
FLAT = segment(constants.TYPE_FLAT, physical_network='physnet1')
VLAN = segment(constants.TYPE_VLAN, 302, 'physnet1')
# Segments on which a port has no segmentation id (vRouter's own overlay).
NO_SEGMENTATION_ID = (LOCAL, FLAT)


class BindingTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # Neutron logs each failed binding at ERROR: keep it with the test.
        self.useFixture(fixtures.FakeLogger())
        conf = self.useFixture(config_fixture.Config(cfg.CONF))
        conf.config(group='ml2', mechanism_drivers=['vrouter_test'])
        conf.config(group='vrouter_test', dpdk_hosts=[DPDK_HOST])
        self.manager = managers.MechanismManager()
        self.manager.initialize()

    def bind(self, vnic_type, segments, host=KERNEL_HOST, profile=None):
        """Neutron's binding of a new port: its PortContext once bound."""
        port_id = str(uuid.uuid4())
        port = {'id': port_id,
                'device_owner': 'compute:nova',
                'status': constants.PORT_STATUS_DOWN,
                'fixed_ips': [{'ip_address': '10.88.0.5'}],
                portbindings.HOST_ID: host,
                portbindings.VNIC_TYPE: vnic_type,
                portbindings.PROFILE: profile or {}}
        network = driver_context.NetworkContext(
            None, None, {'id': str(uuid.uuid4())}, segments=list(segments))
        binding = models.PortBinding(
            port_id=port_id, host=host, vnic_type=vnic_type,
            profile=jsonutils.dumps(profile or {}),
            vif_type=portbindings.VIF_TYPE_UNBOUND, vif_details='')
        context = driver_context.PortContext(None, None, port, network,
                                             binding, None)
        self.manager.bind_port(context)
        return context

    def assertBound(self, context, segment, vif_type, vif_details):
        self.assertEqual(
            (vif_type, vif_details),
            (context._binding.vif_type,
             jsonutils.loads(context._binding.vif_details)))
        self.assertEqual(
            [('vrouter_test', segment[api.ID], 0)],
            [(level.driver, level.segment_id, level.level)
             for level in context._binding_levels])
        self.assertEqual(constants.PORT_STATUS_ACTIVE,
                         context._new_port_status)

    def assertNotBound(self, context):
        self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                         context._binding.vif_type)
        self.assertEqual([], context._binding_levels)

    def vhostuser_details(self, context):
        # Nova names the device ("tap" + port id)[:14]; the socket after it.
        devname = ('tap' + context.current['id'])[:14]
        return {portbindings.VHOST_USER_MODE:
                portbindings.VHOST_USER_MODE_SERVER,
                portbindings.VHOST_USER_SOCKET:
                '%s/uvh_vif_%s' % (SOCKET_DIR, devname)}

    def test_normal_on_kernel_host_is_vrouter(self):
        for seg in (VXLAN, LOCAL, FLAT, VLAN):
            context = self.bind(portbindings.VNIC_NORMAL, [seg])
            self.assertBound(context, seg, 'vrouter',
                             {portbindings.CAP_PORT_FILTER: True})

    def test_normal_is_vrouter_on_a_host_not_named_dpdk(self):
        context = self.bind(portbindings.VNIC_NORMAL, [VXLAN],
                            host='vrcloud-other')
        self.assertBound(context, VXLAN, 'vrouter',
                         {portbindings.CAP_PORT_FILTER: True})

    def test_normal_on_dpdk_host_is_vhostuser_with_vrouter_plug(self):
        for seg in (VXLAN, LOCAL, VLAN):
            context = self.bind(portbindings.VNIC_NORMAL, [seg],
                                host=DPDK_HOST)
            details = self.vhostuser_details(context)
            details['vhostuser_vrouter_plug'] = True
            self.assertBound(context, seg, portbindings.VIF_TYPE_VHOST_USER,
                             details)

    def test_dpdk_socket_is_named_after_the_port(self):
        context = self.bind(portbindings.VNIC_NORMAL, [VXLAN],
                            host=DPDK_HOST)
        socket = jsonutils.loads(context._binding.vif_details)[
            portbindings.VHOST_USER_SOCKET]
        self.assertEqual(
            '/var/run/vrouter/uvh_vif_tap' + context.current['id'][:11],
            socket)

    def test_direct_on_vlan_segment_is_plain_sriov(self):
        context = self.bind(portbindings.VNIC_DIRECT, [VLAN],
                            profile={'pci_slot': '0000:81:00.2'})
        self.assertBound(context, VLAN, portbindings.VIF_TYPE_HW_VEB,
                         {portbindings.CAP_PORT_FILTER: True,
                          portbindings.VIF_DETAILS_VLAN: '302'})

    def test_direct_without_segmentation_id_is_offloaded_vrouter(self):
        for seg in NO_SEGMENTATION_ID:
            context = self.bind(portbindings.VNIC_DIRECT, [seg],
                                profile={'pci_slot': '0000:81:00.2'})
            self.assertBound(context, seg, 'vrouter',
                             {portbindings.CAP_PORT_FILTER: True})

    def test_direct_on_dpdk_host_follows_the_segment_not_the_host(self):
        for seg, vif_type in ((VLAN, portbindings.VIF_TYPE_HW_VEB),
                              (LOCAL, 'vrouter')):
            context = self.bind(portbindings.VNIC_DIRECT, [seg],
                                host=DPDK_HOST)
            self.assertEqual(vif_type, context._binding.vif_type)

    def test_virtio_forwarder_is_vrouter_with_vhostuser_server(self):
        for host in (KERNEL_HOST, DPDK_HOST):
            for seg in NO_SEGMENTATION_ID:
                context = self.bind(portbindings.VNIC_VIRTIO_FORWARDER,
                                    [seg], host=host)
                self.assertBound(context, seg, 'vrouter',
                                 self.vhostuser_details(context))

    def test_other_vnic_types_are_not_bound(self):
        supported = {portbindings.VNIC_NORMAL, portbindings.VNIC_DIRECT,
                     portbindings.VNIC_VIRTIO_FORWARDER}
        others = [vnic for vnic in portbindings.VNIC_TYPES
                  if vnic not in supported]
        self.assertIn(portbindings.VNIC_MACVTAP, others)
        for vnic_type in others:
            for host in (KERNEL_HOST, DPDK_HOST):
                with self.subTest(vnic_type=vnic_type, host=host):
                    self.assertNotBound(self.bind(vnic_type, [VXLAN],
                                                  host=host))

    def test_binding_function_declines_other_vnic_types(self):
        self.assertIsNone(ml2_vrouter.binding_for(
            portbindings.VNIC_MACVTAP, False, VXLAN, str(uuid.uuid4())))

    def test_the_first_segment_is_bound(self):
        context = self.bind(portbindings.VNIC_NORMAL, [VXLAN, VLAN])
        self.assertBound(context, VXLAN, 'vrouter',
                         {portbindings.CAP_PORT_FILTER: True})

    def test_benchmark_profile_binds_tap_anywhere(self):
        profile = {ml2_vrouter.PROFILE_VIF_TYPE: portbindings.VIF_TYPE_TAP}
        for host in (KERNEL_HOST, DPDK_HOST):
            context = self.bind(portbindings.VNIC_NORMAL, [VXLAN], host=host,
                                profile=profile)
            self.assertBound(context, VXLAN, portbindings.VIF_TYPE_TAP,
                             {portbindings.CAP_PORT_FILTER: True})
