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

import copy
import os
from unittest import mock

import ddt
import fixtures
import os_vif
from os_vif.objects import fields as osv_fields
from os_vif.objects import host_info as osv_host_info
from os_vif.objects import vif as osv_vif
from os_vif import plugin as osv_plugin
from oslo_concurrency import processutils
from oslo_utils import importutils
from stevedore import extension
import testtools

from nova import exception
from nova.network import model as network_model
from nova.network import model_vrouter
from nova import objects
from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.virt.libvirt import vif as libvirt_vif
from nova.virt.libvirt import vif_vrouter

PORT_ID = 'dc065497-3c8d-4f44-8fb4-e1d33c16a536'
DEVNAME = 'tapdc065497-3c'
MAC = 'fa:16:3e:4c:2c:30'
PCI_SLOT = '0000:0a:00.1'
SOCKET = '/var/run/vrouter/uvh_vif_tapdc065497-3c'
INSTANCE_UUID = 'd5b1090c-9e00-4fa4-9504-4b1494857970'

# The translation library comes with the os-vif-vrouter distribution, which
# Nova does not require: the tests that translate run where it is installed.
requires_translator = testtools.skipIf(
    importutils.try_import(model_vrouter.TRANSLATOR) is None,
    'os-vif-vrouter is not installed')


def _network(mtu):
    return network_model.Network(
        id='b82c1929-051e-481d-8110-4669916c7915',
        label='tenant-net',
        bridge=None,
        subnets=[network_model.Subnet(
            cidr='10.0.0.0/24',
            gateway=network_model.IP(address='10.0.0.1', type='gateway'),
            ips=[network_model.FixedIP(address='10.0.0.5')])],
        mtu=mtu)


def _vif(mtu=9000, **kwargs):
    return network_model.VIF(
        id=PORT_ID, address=MAC, network=_network(mtu),
        devname=DEVNAME, **kwargs)


class PluginRecorder(object):
    """What the stand-in plugins were asked to do, and whether to fail."""

    def __init__(self):
        self.calls = []
        self.error = None


class RecordingVRouterPlugin(osv_plugin.PluginBase):
    """Stands in for an os-vif plugin, at the os-vif boundary.

    os_vif.plug()/unplug() and host_info() run for real (plugin lookup,
    error wrapping); this records what they hand to the plugin, and fails
    when told to.
    """

    def __init__(self, name, recorder):
        super().__init__(config=None)
        self.name = name
        self.recorder = recorder

    def describe(self):
        return osv_host_info.HostPluginInfo(
            plugin_name=self.name, vif_info=[
                osv_host_info.HostVIFInfo(
                    vif_object_name=osv_vif.VIFGeneric.__name__,
                    min_version='1.0', max_version='1.0')])

    def plug(self, vif, instance_info):
        self.recorder.calls.append(('plug', vif, instance_info))
        if self.recorder.error:
            raise self.recorder.error

    def unplug(self, vif, instance_info):
        self.recorder.calls.append(('unplug', vif, instance_info))
        if self.recorder.error:
            raise self.recorder.error


def _vrouter_plugins(recorder):
    return {name: RecordingVRouterPlugin(name, recorder)
            for name in ('vrouter', 'contrail_vrouter')}


def _load_os_vif_plugins(test_case, plugins):
    # os_vif.initialize() loads plugins from entry points; give it these
    # instead, and leave the rest of os-vif as it is.
    manager = extension.ExtensionManager.make_test_instance(
        [extension.Extension(name, None, None, obj)
         for name, obj in plugins.items()])
    test_case.useFixture(test.fixtures.MockPatchObject(
        os_vif, '_EXT_MANAGER', manager))


VIF_KERNEL = _vif(type=network_model.VIF_TYPE_VROUTER)


class LibvirtVRouterVIFDriverSupportTestCase(test.NoDBTestCase):
    """What a host loads and logs, with and without os-vif-vrouter.

    Runs whether or not os-vif-vrouter is installed.
    """

    def setUp(self):
        super().setUp()
        self.useFixture(nova_fixtures.LibvirtFixture(stub_os_vif=False))
        self.instance = objects.Instance(
            uuid=INSTANCE_UUID, id=42, display_name='vm')
        self.plugin = PluginRecorder()
        # A host without vRouter plugins: only OVS.
        _load_os_vif_plugins(
            self, {'ovs': RecordingVRouterPlugin('ovs', self.plugin)})
        # No device of the port's name on this host (see
        # LibvirtVRouterLeftoverTapTestCase).
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.vif_vrouter._read_netdev_attribute',
            return_value=None))
        self.warning = self.useFixture(test.fixtures.MockPatchObject(
            vif_vrouter.LOG, 'warning')).mock

    def test_other_vifs_load_and_log_nothing(self):
        import_translator = self.useFixture(test.fixtures.MockPatchObject(
            model_vrouter, '_import_translator')).mock
        driver = vif_vrouter.LibvirtVRouterVIFDriver()
        vif = _vif(type=network_model.VIF_TYPE_OVS)
        vif['network']['bridge'] = 'br-int'
        driver.get_config(self.instance, vif, objects.ImageMeta.from_dict({}),
                          objects.Flavor(vcpus=1, extra_specs={}), 'kvm')
        driver.plug(self.instance, vif)
        driver.unplug(self.instance, vif)
        self.assertEqual(['plug', 'unplug'],
                         [op for op, _vif, _info in self.plugin.calls])
        import_translator.assert_not_called()
        self.warning.assert_not_called()

    def test_first_vrouter_vif_warns_once_without_the_plugins(self):
        driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.warning.assert_not_called()
        for _attempt in range(2):
            self.assertRaises(exception.VirtualInterfacePlugException,
                              driver.plug, self.instance, VIF_KERNEL)
        self.warning.assert_called_once()
        self.assertEqual("'vrouter', 'contrail_vrouter'",
                         self.warning.call_args[0][1]['plugins'])
        self.assertEqual([], self.plugin.calls)

    def test_before_os_vif_initialize(self):
        driver = vif_vrouter.LibvirtVRouterVIFDriver()
        # (MockPatchObject would take new=None for "a MagicMock".)
        with mock.patch.object(os_vif, '_EXT_MANAGER', None):
            driver._check_vrouter_support()
        self.warning.assert_not_called()
        # Checked at the next vRouter VIF instead.
        driver._check_vrouter_support()
        self.warning.assert_called_once()

    def test_without_the_package(self):
        self.useFixture(test.fixtures.MockPatchObject(
            model_vrouter, 'TRANSLATOR', 'os_vif_translate_not_installed'))
        driver = vif_vrouter.LibvirtVRouterVIFDriver()
        message = ("Cannot serve vRouter port %s: the os-vif-vrouter "
                   "package, which translates and plugs vRouter ports, is "
                   "not installed in nova-compute's environment. Install it "
                   "and restart nova-compute." % PORT_ID)
        exc = self.assertRaises(
            exception.VRouterSupportNotInstalled, driver.get_config,
            self.instance, VIF_KERNEL, objects.ImageMeta.from_dict({}),
            objects.Flavor(vcpus=1, extra_specs={}), 'kvm')
        self.assertEqual(message, str(exc))
        exc = self.assertRaises(exception.VirtualInterfacePlugException,
                                driver.plug, self.instance, VIF_KERNEL)
        self.assertEqual('Failed to plug vRouter VIF %s: %s' %
                         (PORT_ID, message), str(exc))
        exc = self.assertRaises(exception.VirtualInterfaceUnplugException,
                                driver.unplug, self.instance, VIF_KERNEL)
        self.assertIn(message, str(exc))
        self.assertEqual([], self.plugin.calls)


@requires_translator
class LibvirtVRouterVIFDriverTestCase(test.NoDBTestCase):

    vif_kernel = _vif(type=network_model.VIF_TYPE_VROUTER,
                      details={network_model.VIF_DETAILS_PORT_FILTER: True})
    vif_kernel_no_mtu = _vif(mtu=None, type=network_model.VIF_TYPE_VROUTER)
    vif_dpdk = _vif(
        type=network_model.VIF_TYPE_VHOSTUSER,
        details={
            network_model.VIF_DETAILS_VHOSTUSER_MODE: 'server',
            network_model.VIF_DETAILS_VHOSTUSER_SOCKET: SOCKET,
            network_model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG: True})
    vif_dpdk_client = _vif(
        type=network_model.VIF_TYPE_VHOSTUSER,
        details={
            network_model.VIF_DETAILS_VHOSTUSER_MODE: 'client',
            network_model.VIF_DETAILS_VHOSTUSER_SOCKET: SOCKET,
            network_model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG: True})
    vif_direct = _vif(
        type=network_model.VIF_TYPE_VROUTER,
        vnic_type=network_model.VNIC_TYPE_DIRECT,
        profile={'pci_slot': PCI_SLOT})
    vif_forwarder = _vif(
        type=network_model.VIF_TYPE_VROUTER,
        vnic_type=network_model.VNIC_TYPE_VIRTIO_FORWARDER,
        profile={'pci_slot': PCI_SLOT},
        details={
            network_model.VIF_DETAILS_VHOSTUSER_MODE: 'server',
            network_model.VIF_DETAILS_VHOSTUSER_SOCKET: SOCKET,
            network_model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG: True})

    def setUp(self):
        super().setUp()
        self.libvirt = self.useFixture(
            nova_fixtures.LibvirtFixture(stub_os_vif=False))
        # Multiqueue limits depend on the host kernel.
        self.libvirt.mock_uname.return_value = fakelibvirt.os_uname(
            'Linux', '', '5.10.13-200-generic', '', 'x86_64')
        # No device of the port's name on this host: see
        # LibvirtVRouterLeftoverTapTestCase.
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.vif_vrouter._read_netdev_attribute',
            return_value=None))
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.instance = objects.Instance(
            uuid=INSTANCE_UUID, id=42, display_name='web "front" -- 1',
            project_id='2f37d7f6e51a4a1f8b6eb0917ffc8390')
        self.plugin = PluginRecorder()
        _load_os_vif_plugins(self, _vrouter_plugins(self.plugin))

    def _flavor(self, vcpus=1, extra_specs=None):
        return objects.Flavor(
            name='m1.small', memory_mb=128, vcpus=vcpus, root_gb=0,
            ephemeral_gb=0, swap=0, extra_specs=extra_specs or {},
            deleted_at=None, deleted=0, created_at=None, flavorid=1,
            is_public=True, vcpu_weight=None, id=2, disabled=False,
            rxtx_factor=1.0)

    def _config_xml(self, vif, flavor=None, image_meta=None,
                    virt_type='kvm'):
        conf = self.driver.get_config(
            self.instance, vif,
            image_meta or objects.ImageMeta.from_dict({}),
            flavor or self._flavor(), virt_type)
        return conf.to_xml()

    # Kernel vRouter: ethernet tap.

    def test_kernel(self):
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_kernel))

    def test_kernel_no_mtu(self):
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_kernel_no_mtu))

    def test_kernel_multiqueue_flavor(self):
        flavor = self._flavor(
            vcpus=4, extra_specs={'hw:vif_multiqueue_enabled': 'true'})
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <driver name="vhost" queues="4"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_kernel, flavor))

    def test_kernel_multiqueue_image(self):
        image_meta = objects.ImageMeta.from_dict(
            {'properties': {'hw_vif_multiqueue_enabled': 'true'}})
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <driver name="vhost" queues="2"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(
                self.vif_kernel, self._flavor(vcpus=2), image_meta))

    def test_kernel_multiqueue_disabled(self):
        flavor = self._flavor(
            vcpus=4, extra_specs={'hw:vif_multiqueue_enabled': 'false'})
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_kernel, flavor))

    def test_kernel_qemu(self):
        # TCG: the qemu backend, never vhost (it needs /dev/vhost-net).
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <driver name="qemu"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_kernel,
                                              virt_type='qemu'))

    def test_kernel_queue_sizes(self):
        # A tap has no tx queue size in libvirt: only rx applies.
        self.flags(rx_queue_size=512, tx_queue_size=1024, group='libvirt')
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <driver name="vhost" rx_queue_size="512"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_kernel))

    def test_kernel_bandwidth(self):
        flavor = self._flavor(extra_specs={
            'quota:vif_inbound_average': '100',
            'quota:vif_outbound_average': '200'})
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
              <bandwidth>
                <inbound average="100"/>
                <outbound average="200"/>
              </bandwidth>
            </interface>""", self._config_xml(self.vif_kernel, flavor))

    def test_kernel_devname_fallback(self):
        vif = copy.deepcopy(self.vif_kernel)
        vif['devname'] = None
        self.assertXmlEqual("""
            <interface type="ethernet">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <mtu size="9000"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(vif))

    # DPDK vRouter: vhost-user, QEMU as server.

    def test_dpdk(self):
        # No <mtu> even though the network has one: see
        # get_config_vrouter().
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <source type="unix" mode="server"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_dpdk))

    def test_dpdk_client_mode(self):
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <source type="unix" mode="client"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_dpdk_client))

    def test_dpdk_multiqueue(self):
        flavor = self._flavor(
            vcpus=4, extra_specs={'hw:vif_multiqueue_enabled': 'true'})
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <driver queues="4"/>
              <source type="unix" mode="server"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_dpdk, flavor))

    def test_dpdk_queue_sizes(self):
        self.flags(rx_queue_size=512, tx_queue_size=1024, group='libvirt')
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <driver rx_queue_size="512" tx_queue_size="1024"/>
              <source type="unix" mode="server"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_dpdk))

    def test_dpdk_qemu_no_mtu(self):
        vif = copy.deepcopy(self.vif_dpdk)
        vif['network']['meta']['mtu'] = None
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <source type="unix" mode="server"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(vif, virt_type='qemu'))

    # Offload: SR-IOV VF passed through, or relayed by virtio-forwarder.

    def test_offload_direct(self):
        # No <model>, no <mtu>: the guest sees the VF itself.
        self.assertXmlEqual("""
            <interface type="hostdev" managed="yes">
              <mac address="fa:16:3e:4c:2c:30"/>
              <source>
                <address type="pci" domain="0x0000" bus="0x0a"
                         slot="0x00" function="0x1"/>
              </source>
            </interface>""", self._config_xml(self.vif_direct))

    def test_offload_direct_no_mtu(self):
        vif = copy.deepcopy(self.vif_direct)
        vif['network']['meta']['mtu'] = None
        self.assertXmlEqual("""
            <interface type="hostdev" managed="yes">
              <mac address="fa:16:3e:4c:2c:30"/>
              <source>
                <address type="pci" domain="0x0000" bus="0x0a"
                         slot="0x00" function="0x1"/>
              </source>
            </interface>""", self._config_xml(vif))

    def test_offload_direct_multiqueue_ignored(self):
        flavor = self._flavor(
            vcpus=4, extra_specs={'hw:vif_multiqueue_enabled': 'true'})
        self.assertXmlEqual("""
            <interface type="hostdev" managed="yes">
              <mac address="fa:16:3e:4c:2c:30"/>
              <source>
                <address type="pci" domain="0x0000" bus="0x0a"
                         slot="0x00" function="0x1"/>
              </source>
            </interface>""", self._config_xml(self.vif_direct, flavor))

    def test_offload_virtio_forwarder(self):
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <source type="unix" mode="server"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_forwarder))

    def test_offload_virtio_forwarder_no_mtu_qemu(self):
        vif = copy.deepcopy(self.vif_forwarder)
        vif['network']['meta']['mtu'] = None
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <source type="unix" mode="server"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(vif, virt_type='qemu'))

    def test_offload_virtio_forwarder_multiqueue(self):
        flavor = self._flavor(
            vcpus=2, extra_specs={'hw:vif_multiqueue_enabled': 'true'})
        self.assertXmlEqual("""
            <interface type="vhostuser">
              <mac address="fa:16:3e:4c:2c:30"/>
              <model type="virtio"/>
              <driver queues="2"/>
              <source type="unix" mode="server"
                      path="/var/run/vrouter/uvh_vif_tapdc065497-3c"/>
              <target dev="tapdc065497-3c"/>
            </interface>""", self._config_xml(self.vif_forwarder, flavor))

    # Everything else goes to the generic driver, unchanged.

    def test_the_generic_drivers_config_but_the_mtu(self):
        # The generic driver's builders make each os-vif object's interface;
        # only vhost-user and hostdev interfaces lose their <mtu>.
        generic = libvirt_vif.LibvirtGenericVIFDriver()
        for vif in (self.vif_kernel, self.vif_dpdk, self.vif_direct,
                    self.vif_forwarder):
            args = (self.instance, model_vrouter.nova_to_osvif_vif(vif),
                    objects.ImageMeta.from_dict({}), self._flavor(), 'kvm',
                    vif['vnic_type'])
            expected = generic._get_config_os_vif(*args)
            if vif is not self.vif_kernel:
                self.assertEqual(9000, expected.mtu)
                expected.mtu = None
            self.assertXmlEqual(expected.to_xml(), self._config_xml(vif))

    def test_each_vif_translated_once(self):
        with mock.patch.object(
                model_vrouter, 'nova_to_osvif_vif',
                wraps=model_vrouter.nova_to_osvif_vif) as translate, \
                mock.patch.object(model_vrouter, 'get_datapath') as classify:
            for vif in (self.vif_kernel, self.vif_dpdk, self.vif_direct,
                        self.vif_forwarder):
                for operation in (self._config_xml,
                                  lambda vif: self.driver.plug(
                                      self.instance, vif),
                                  lambda vif: self.driver.unplug(
                                      self.instance, vif)):
                    translate.reset_mock()
                    operation(vif)
                    translate.assert_called_once_with(vif)
        # The os-vif object says the datapath: no second classification.
        classify.assert_not_called()

    def test_other_vifs_use_the_generic_driver(self):
        generic = libvirt_vif.LibvirtGenericVIFDriver()
        vif_ovs = _vif(type=network_model.VIF_TYPE_OVS,
                       details={network_model.VIF_DETAILS_PORT_FILTER: True})
        vif_ovs['network']['bridge'] = 'br-int'
        vifs = [
            vif_ovs,
            _vif(type=network_model.VIF_TYPE_TAP),
            _vif(type=network_model.VIF_TYPE_VHOSTUSER, details={
                network_model.VIF_DETAILS_VHOSTUSER_SOCKET: '/tmp/s',
                network_model.VIF_DETAILS_VHOSTUSER_OVS_PLUG: True}),
        ]
        for vif in vifs:
            args = (self.instance, vif, objects.ImageMeta.from_dict({}),
                    self._flavor(), 'kvm')
            self.assertXmlEqual(generic.get_config(*args).to_xml(),
                                self.driver.get_config(*args).to_xml())

    def test_other_vif_errors_are_the_generic_drivers(self):
        vif = _vif(type=None)
        self.assertRaises(exception.InternalError, self.driver.get_config,
                          self.instance, vif, None, self._flavor(), 'kvm')
        self.assertRaises(exception.VirtualInterfacePlugException,
                          self.driver.plug, self.instance, vif)
        self.assertRaises(exception.InternalError, self.driver.unplug,
                          self.instance, vif)
        self.assertEqual([], self.plugin.calls)

    # Plug and unplug through os-vif.

    def _assert_plugged(self, operation, vif, vif_class, plugin_name):
        (op, vif_obj, info), = self.plugin.calls
        self.assertEqual(operation, op)
        self.assertIsInstance(vif_obj, vif_class)
        self.assertEqual(plugin_name, vif_obj.plugin)
        self.assertEqual(PORT_ID, vif_obj.id)
        self.assertEqual(INSTANCE_UUID, info.uuid)
        # The agent makes DNS records from the display name.
        self.assertEqual('web "front" -- 1', info.name)
        self.assertEqual('2f37d7f6e51a4a1f8b6eb0917ffc8390', info.project_id)
        return vif_obj

    def test_plug_kernel(self):
        self.driver.plug(self.instance, self.vif_kernel)
        vif_obj = self._assert_plugged('plug', self.vif_kernel,
                                       osv_vif.VIFGeneric, 'vrouter')
        self.assertEqual(DEVNAME, vif_obj.vif_name)
        self.assertEqual(9000, vif_obj.network.mtu)

    def test_unplug_kernel(self):
        self.driver.unplug(self.instance, self.vif_kernel)
        self._assert_plugged('unplug', self.vif_kernel,
                             osv_vif.VIFGeneric, 'vrouter')

    def test_plug_dpdk(self):
        self.driver.plug(self.instance, self.vif_dpdk)
        vif_obj = self._assert_plugged('plug', self.vif_dpdk,
                                       osv_vif.VIFVHostUser,
                                       'contrail_vrouter')
        self.assertEqual('server', vif_obj.mode)
        self.assertEqual(SOCKET, vif_obj.path)

    def test_plug_offload_direct(self):
        self.driver.plug(self.instance, self.vif_direct)
        vif_obj = self._assert_plugged('plug', self.vif_direct,
                                       osv_vif.VIFHostDevice, 'vrouter')
        self.assertEqual(osv_fields.VIFHostDeviceDevType.ETHERNET,
                         vif_obj.dev_type)
        offload = vif_obj.port_profile.datapath_offload
        self.assertEqual(DEVNAME, offload.representor_name)
        self.assertEqual(PCI_SLOT, offload.representor_address)

    def test_unplug_offload_virtio_forwarder(self):
        self.driver.unplug(self.instance, self.vif_forwarder)
        vif_obj = self._assert_plugged('unplug', self.vif_forwarder,
                                       osv_vif.VIFVHostUser, 'vrouter')
        self.assertEqual(PCI_SLOT, vif_obj.port_profile.datapath_offload
                         .representor_address)

    def test_plug_display_name_unset(self):
        self.instance.display_name = None
        self.driver.plug(self.instance, self.vif_kernel)
        (_op, _vif, info), = self.plugin.calls
        self.assertEqual('instance-0000002a', info.name)

    def test_plug_failure_names_port_and_cause(self):
        self.plugin.error = RuntimeError('agent said: Invalid VN uuid')
        exc = self.assertRaises(exception.VirtualInterfacePlugException,
                                self.driver.plug, self.instance,
                                self.vif_kernel)
        self.assertEqual('Failed to plug vRouter VIF %s: agent said: '
                         'Invalid VN uuid' % PORT_ID, str(exc))

    def test_unplug_failure_names_port_and_cause(self):
        self.plugin.error = RuntimeError('agent unreachable')
        exc = self.assertRaises(exception.VirtualInterfaceUnplugException,
                                self.driver.unplug, self.instance,
                                self.vif_dpdk)
        self.assertEqual('Failed to unplug virtual interface: vRouter VIF '
                         '%s: agent unreachable' % PORT_ID, str(exc))

    def test_plug_without_the_plugin(self):
        _load_os_vif_plugins(self, {})
        exc = self.assertRaises(exception.VRouterPluginNotFound,
                                self.driver.plug, self.instance,
                                self.vif_dpdk)
        # A VirtualInterfacePlugException, as the compute manager expects.
        self.assertIsInstance(exc, exception.VirtualInterfacePlugException)
        self.assertEqual(
            "Cannot plug vRouter VIF %s: os-vif has no 'contrail_vrouter' "
            "plugin. Install the os-vif-vrouter package in nova-compute's "
            "environment and restart nova-compute." % PORT_ID, str(exc))

    def test_unplug_without_the_plugin(self):
        _load_os_vif_plugins(self, {})
        exc = self.assertRaises(exception.VirtualInterfaceUnplugException,
                                self.driver.unplug, self.instance,
                                self.vif_kernel)
        self.assertIn(PORT_ID, str(exc))
        self.assertIn("os-vif has no 'vrouter' plugin. Install the "
                      "os-vif-vrouter package", str(exc))

    def test_first_vrouter_vif_quiet_with_the_plugins(self):
        with mock.patch.object(vif_vrouter.LOG, 'warning') as warning:
            self.driver.plug(self.instance, self.vif_kernel)
        warning.assert_not_called()


# (name, VIF fields, error raised by get_config, text of its message)
INVALID_VROUTER_VIFS = [
    ('unsupported_vnic_macvtap',
     dict(type='vrouter', vnic_type='macvtap'),
     exception.VRouterVIFInvalid, "'macvtap'"),
    ('unsupported_vnic_direct_physical',
     dict(type='vrouter', vnic_type='direct-physical'),
     exception.VRouterVIFInvalid, "'direct-physical'"),
    ('unsupported_vnic_vdpa',
     dict(type='vrouter', vnic_type='vdpa'),
     exception.VRouterVIFInvalid, "'vdpa'"),
    ('unsupported_vnic_remote_managed',
     dict(type='vrouter', vnic_type='remote-managed'),
     exception.VRouterVIFInvalid, "'remote-managed'"),
    ('direct_without_pci_slot',
     dict(type='vrouter', vnic_type='direct', profile={}),
     exception.VRouterVIFInvalid, 'pci_slot'),
    ('direct_bad_pci_slot',
     dict(type='vrouter', vnic_type='direct',
          profile={'pci_slot': '0a:00.1'}),
     exception.VRouterVIFInvalid, "'0a:00.1'"),
    ('forwarder_without_pci_slot',
     dict(type='vrouter', vnic_type='virtio-forwarder',
          details={'vhostuser_socket': SOCKET}),
     exception.VRouterVIFInvalid, 'pci_slot'),
    ('forwarder_without_socket',
     dict(type='vrouter', vnic_type='virtio-forwarder',
          profile={'pci_slot': PCI_SLOT}),
     exception.VifDetailsMissingVhostuserSockPath, 'vhostuser_sock_path'),
    ('dpdk_without_socket',
     dict(type='vhostuser', details={'vhostuser_vrouter_plug': True}),
     exception.VifDetailsMissingVhostuserSockPath, 'vhostuser_sock_path'),
    ('dpdk_relative_socket',
     dict(type='vhostuser', details={'vhostuser_vrouter_plug': True,
                                     'vhostuser_socket': 'uvh_vif_tap'}),
     exception.VRouterVIFInvalid, 'absolute'),
    ('dpdk_bad_mode',
     dict(type='vhostuser', details={'vhostuser_vrouter_plug': True,
                                     'vhostuser_socket': SOCKET,
                                     'vhostuser_mode': 'listen'}),
     exception.VRouterVIFInvalid, "'listen'"),
    ('bad_mac',
     dict(type='vrouter', address='fa:16:3e:4c:2c'),
     exception.VRouterVIFInvalid, "'fa:16:3e:4c:2c'"),
    ('zero_mac',
     dict(type='vrouter', address='00:00:00:00:00:00'),
     exception.VRouterVIFInvalid, "'00:00:00:00:00:00'"),
    ('bad_devname',
     dict(type='vrouter', devname='tap x/y'),
     exception.VRouterVIFInvalid, "'tap x/y'"),
    ('long_devname',
     dict(type='vrouter', devname='tapdc065497-3c8d'),
     exception.VRouterVIFInvalid, "'tapdc065497-3c8d'"),
    ('bad_network_id',
     dict(type='vrouter',
          network=network_model.Network(id='net1', subnets=[])),
     exception.VRouterVIFInvalid, "'net1'"),
    ('network_missing',
     dict(type='vrouter', network=None),
     exception.VRouterVIFInvalid, 'network'),
    ('subnets_not_a_list',
     dict(type='vrouter',
          network={'id': 'b82c1929-051e-481d-8110-4669916c7915',
                   'subnets': {}}),
     exception.VRouterVIFInvalid, 'subnets'),
    ('profile_not_a_mapping',
     dict(type='vrouter', vnic_type='direct', profile='0000:0a:00.1'),
     exception.VRouterVIFInvalid, 'profile'),
]


@requires_translator
@ddt.ddt
class LibvirtVRouterLeftoverTapTestCase(test.NoDBTestCase):
    """A tap of a kernel port's name that exists before plug."""

    def setUp(self):
        super().setUp()
        self.useFixture(nova_fixtures.LibvirtFixture(stub_os_vif=False))
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.instance = objects.Instance(
            uuid=INSTANCE_UUID, id=42, display_name='web',
            project_id='2f37d7f6e51a4a1f8b6eb0917ffc8390')
        self.plugin = PluginRecorder()
        _load_os_vif_plugins(self, _vrouter_plugins(self.plugin))
        self.sysfs = {}
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.vif_vrouter._read_netdev_attribute',
            side_effect=lambda name, attribute: self.sysfs.get(
                (name, attribute))))
        self.delete = self.useFixture(fixtures.MockPatch(
            'nova.privsep.linux_net.delete_net_dev')).mock

    def _tap(self, flags, carrier):
        self.sysfs[(DEVNAME, 'tun_flags')] = flags
        self.sysfs[(DEVNAME, 'carrier')] = carrier

    @ddt.data(
        # A persistent tap nobody holds: up without carrier, or down.
        ('0x1802', '0'),
        ('0x1802', None),
        # The same, made with multiqueue.
        ('0x1902', '0'),
    )
    @ddt.unpack
    def test_leftover_tap_removed_before_plug(self, flags, carrier):
        self._tap(flags, carrier)
        self.delete.side_effect = lambda name: self.assertEqual(
            [], self.plugin.calls, 'the tap must go before the agent has '
            'the port')
        self.driver.plug(self.instance, LibvirtVRouterVIFDriverTestCase.
                         vif_kernel)
        self.delete.assert_called_once_with(DEVNAME)
        self.assertEqual(['plug'], [op for op, _, _ in self.plugin.calls])

    @ddt.data(
        # A running guest's tap: libvirt's are not persistent.
        ('0x1002', '1'),
        ('0x1002', None),
        # A persistent tap a process holds (its carrier is on).
        ('0x1802', '1'),
    )
    @ddt.unpack
    def test_tap_in_use_kept(self, flags, carrier):
        self._tap(flags, carrier)
        self.driver.plug(self.instance, LibvirtVRouterVIFDriverTestCase.
                         vif_kernel)
        self.delete.assert_not_called()
        self.assertEqual(['plug'], [op for op, _, _ in self.plugin.calls])

    def test_no_tap(self):
        self.driver.plug(self.instance, LibvirtVRouterVIFDriverTestCase.
                         vif_kernel)
        self.delete.assert_not_called()

    def test_other_datapaths_untouched(self):
        self._tap('0x1802', '0')
        for vif in (LibvirtVRouterVIFDriverTestCase.vif_dpdk,
                    LibvirtVRouterVIFDriverTestCase.vif_forwarder):
            self.driver.plug(self.instance, vif)
        self.delete.assert_not_called()

    def test_removal_failure_names_port_and_tap(self):
        self._tap('0x1802', '0')
        self.delete.side_effect = processutils.ProcessExecutionError(
            stderr='RTNETLINK answers: Operation not permitted')
        exc = self.assertRaises(
            exception.VirtualInterfacePlugException, self.driver.plug,
            self.instance, LibvirtVRouterVIFDriverTestCase.vif_kernel)
        self.assertIn('Failed to plug vRouter VIF %s: cannot remove its '
                      'leftover tap %s: ' % (PORT_ID, DEVNAME), str(exc))
        self.assertIn('Operation not permitted', str(exc))
        # Nothing half-done: the agent never heard of the port.
        self.assertEqual([], self.plugin.calls)


class LibvirtVRouterNetdevAttributeTestCase(test.NoDBTestCase):

    def test_read(self):
        path = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(path, DEVNAME))
        with open(os.path.join(path, DEVNAME, 'tun_flags'), 'w') as f:
            f.write('0x1802\n')
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.vif_vrouter._SYS_CLASS_NET', path))
        self.assertEqual(
            '0x1802', vif_vrouter._read_netdev_attribute(DEVNAME, 'tun_flags'))
        self.assertIsNone(
            vif_vrouter._read_netdev_attribute(DEVNAME, 'carrier'))
        self.assertIsNone(
            vif_vrouter._read_netdev_attribute('nodev0', 'carrier'))


@requires_translator
@ddt.ddt
class LibvirtVRouterVIFDriverErrorsTestCase(test.NoDBTestCase):
    """Every invalid vRouter binding gives a typed error naming the port.

    get_config raises Nova's Invalid exceptions; plug and unplug raise the
    plug/unplug exceptions, with nothing handed to os-vif.
    """

    def setUp(self):
        super().setUp()
        self.useFixture(nova_fixtures.LibvirtFixture(stub_os_vif=False))
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.instance = objects.Instance(uuid=INSTANCE_UUID, id=42,
                                         display_name='vm')
        self.plugin = PluginRecorder()
        _load_os_vif_plugins(self, _vrouter_plugins(self.plugin))

    @staticmethod
    def _bad_vif(fields):
        vif = _vif(mtu=1500)
        vif.update(fields)
        return vif

    def test_invalid_port_id(self):
        vif = self._bad_vif(dict(type='vrouter', id='../../etc/passwd'))
        exc = self.assertRaises(
            exception.VRouterVIFInvalid, self.driver.get_config,
            self.instance, vif, objects.ImageMeta.from_dict({}),
            objects.Flavor(vcpus=1, extra_specs={}), 'kvm')
        self.assertIn("'../../etc/passwd'", str(exc))
        exc = self.assertRaises(exception.VirtualInterfacePlugException,
                                self.driver.plug, self.instance, vif)
        self.assertIn("'../../etc/passwd'", str(exc))
        exc = self.assertRaises(exception.VirtualInterfaceUnplugException,
                                self.driver.unplug, self.instance, vif)
        self.assertIn("'../../etc/passwd'", str(exc))
        self.assertEqual([], self.plugin.calls)

    @ddt.named_data(*INVALID_VROUTER_VIFS)
    def test_get_config(self, fields, error, mentions):
        exc = self.assertRaises(
            error, self.driver.get_config, self.instance,
            self._bad_vif(fields), objects.ImageMeta.from_dict({}),
            objects.Flavor(vcpus=1, extra_specs={}), 'kvm')
        self.assertIn(PORT_ID, str(exc))
        self.assertIn(mentions, str(exc))

    @ddt.named_data(*INVALID_VROUTER_VIFS)
    def test_plug(self, fields, error, mentions):
        exc = self.assertRaises(exception.VirtualInterfacePlugException,
                                self.driver.plug, self.instance,
                                self._bad_vif(fields))
        self.assertIn(PORT_ID, str(exc))
        self.assertIn(mentions, str(exc))
        self.assertEqual([], self.plugin.calls)

    @ddt.named_data(*INVALID_VROUTER_VIFS)
    def test_unplug(self, fields, error, mentions):
        exc = self.assertRaises(exception.VirtualInterfaceUnplugException,
                                self.driver.unplug, self.instance,
                                self._bad_vif(fields))
        self.assertIn(PORT_ID, str(exc))
        self.assertIn(mentions, str(exc))
        self.assertEqual([], self.plugin.calls)
