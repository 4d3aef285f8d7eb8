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

"""The server lifecycle on every vRouter datapath, through the compute API.

Two libvirt compute hosts (fakelibvirt), each with an SR-IOV PF and two VFs
on its own PCI bus, and a Neutron fixture that binds ports the way the
vRouter's Neutron plugin does.  os-vif is real down to its plugin lookup;
the 'vrouter' and 'contrail_vrouter' plugins are stood in for at that
boundary and record what they are asked to plug and unplug, and on which
host (the plugins themselves are tested by the os-vif-vrouter project).

After each operation the test checks, for every vRouter port of the server:

- the interface in the guest XML that libvirt was given on the host the
  server is on (for live migration, the XML sent to the destination) is
  the datapath's: a tap for the kernel vRouter, a vhost-user socket for
  DPDK and virtio-forwarder, and for 'direct' the VF that Nova claimed on
  that host;
- os-vif plugged and unplugged the port on the right host, in the right
  order, and with the datapath's os-vif object; for the offload datapaths,
  the representor is that host's VF;
- a kernel port's tap, which the VIF driver makes at plug and deletes at
  unplug (Nova's privileged calls, recorded per host), is on the host
  the server is on, and nowhere once the port has left a host.
"""

import collections
import os

import ddt
import fixtures
from lxml import etree
from os_vif.objects import host_info as osv_host_info
from os_vif.objects import vif as osv_vif
from os_vif import plugin as osv_plugin
from oslo_serialization import jsonutils
from oslo_utils.fixture import uuidsentinel as uuids
from oslo_utils import importutils
from stevedore import extension
import testtools

import nova.conf
from nova.network import model as network_model
from nova.network import model_vrouter
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.tests.functional.libvirt import base
from nova.tests.functional.libvirt import test_pci_sriov_servers
from nova.virt.libvirt import vif_vrouter

CONF = nova.conf.CONF

# The PCI bus of each host's PF and VFs: a VF's address tells its host.
HOST_BUS = {'host1': 0x81, 'host2': 0x82}

KERNEL = model_vrouter.DATAPATH_KERNEL
DPDK = model_vrouter.DATAPATH_DPDK
DIRECT = model_vrouter.DATAPATH_OFFLOAD_DIRECT
FORWARDER = model_vrouter.DATAPATH_OFFLOAD_VIRTIO_FORWARDER

# What each datapath looks like: its binding, the type of its libvirt
# interface, its os-vif object and plugin.
Datapath = collections.namedtuple(
    'Datapath', 'vif_type vnic_type vhostuser interface os_vif plugin')
DATAPATHS = {
    KERNEL: Datapath(
        network_model.VIF_TYPE_VROUTER, network_model.VNIC_TYPE_NORMAL,
        False, 'ethernet', osv_vif.VIFGeneric, 'vrouter'),
    DPDK: Datapath(
        network_model.VIF_TYPE_VHOSTUSER, network_model.VNIC_TYPE_NORMAL,
        True, 'vhostuser', osv_vif.VIFVHostUser, 'contrail_vrouter'),
    DIRECT: Datapath(
        network_model.VIF_TYPE_VROUTER, network_model.VNIC_TYPE_DIRECT,
        False, 'hostdev', osv_vif.VIFHostDevice, 'vrouter'),
    FORWARDER: Datapath(
        network_model.VIF_TYPE_VROUTER,
        network_model.VNIC_TYPE_VIRTIO_FORWARDER,
        True, 'vhostuser', osv_vif.VIFVHostUser, 'vrouter'),
}


class RecordingPlugin(osv_plugin.PluginBase):
    """Stands in for a vRouter os-vif plugin, at os-vif's boundary."""

    def __init__(self, name, calls, current_host):
        super().__init__(config=None)
        self.name = name
        self.calls = calls
        self.current_host = current_host

    def describe(self):
        return osv_host_info.HostPluginInfo(
            plugin_name=self.name, vif_info=[
                osv_host_info.HostVIFInfo(
                    vif_object_name=cls.__name__,
                    min_version='1.0', max_version='1.0')
                for cls in (osv_vif.VIFGeneric, osv_vif.VIFVHostUser,
                            osv_vif.VIFHostDevice)])

    def plug(self, vif, instance_info):
        self.calls.append(('plug', self.current_host[0], vif))

    def unplug(self, vif, instance_info):
        self.calls.append(('unplug', self.current_host[0], vif))


def _mac(index):
    return 'fa:16:3e:00:00:%02x' % index


@testtools.skipIf(
    importutils.try_import(model_vrouter.TRANSLATOR) is None,
    'os-vif-vrouter is not installed')
@ddt.ddt
class VRouterServersTest(
        test_pci_sriov_servers._PCIServersWithMigrationTestBase):

    ADMIN_API = True
    microversion = 'latest'

    # The VFs of both hosts, on the vRouter's physical network; ports ask
    # for them through their vnic_type, no alias needed.
    PCI_DEVICE_SPEC = [jsonutils.dumps({
        'vendor_id': fakelibvirt.PCI_VEND_ID,
        'product_id': fakelibvirt.VF_PROD_ID,
        'physical_network': 'physnet4',
    })]
    PCI_ALIAS = []

    def setUp(self):
        super().setUp()
        self.neutron = self.useFixture(base.LibvirtNeutronFixture(self))
        # The Tungsten Fabric controller sends no network-vif-plugged
        # events.
        self.flags(vif_plugging_is_fatal=False, vif_plugging_timeout=0)
        self.flags(allow_resize_to_same_host=False)
        # fakelibvirt sends no device-removed event: without this, each
        # detach of a vhost-user interface waits the default 20 s for it
        # before Nova finds the device gone.
        self.flags(device_detach_timeout=1, group='libvirt')

        # os-vif's plugins: the two vRouter ones, recording.
        self.os_vif_calls = []
        self._current_host = [None]
        manager = extension.ExtensionManager.make_test_instance([
            extension.Extension(
                name, None, None,
                RecordingPlugin(name, self.os_vif_calls, self._current_host))
            for name in model_vrouter.OS_VIF_PLUGINS])
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif._EXT_MANAGER', manager))
        for operation in ('plug_vrouter', 'unplug_vrouter'):
            self._watch(operation)
        # Each host's taps, as the VIF driver makes and deletes them through
        # Nova's privileged calls (both hosts would otherwise share this
        # machine's /sys).  No process holds them: fakelibvirt runs no QEMU.
        self.taps = {'host1': set(), 'host2': set()}
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.vif_vrouter._read_netdev_attribute',
            side_effect=self._read_netdev_attribute))
        self.useFixture(fixtures.MockPatch(
            'nova.privsep.linux_net.create_tap_dev',
            side_effect=self._create_tap_dev))
        self.useFixture(fixtures.MockPatch(
            'nova.privsep.linux_net.delete_net_dev',
            side_effect=lambda dev: self._host_taps().discard(dev)))
        for name in ('set_device_mtu', 'set_device_enabled'):
            self.useFixture(fixtures.MockPatch(
                'nova.privsep.linux_net.' + name))

        # Every guest XML handed to libvirt, and every device attached,
        # with the host it went to.
        self.guest_xml = []
        self.attached_xml = []
        self._record_xml('Connection.defineXML', self.guest_xml,
                         lambda conn: conn.hostname)
        self._record_xml('Connection.createXML', self.guest_xml,
                         lambda conn: conn.hostname)
        self._record_xml('Domain.attachDeviceFlags', self.attached_xml,
                         lambda domain: domain._connection.hostname)

        self.flavor = self._create_flavor(vcpu=1, memory_mb=512)
        self.bigger_flavor = self._create_flavor(vcpu=2, memory_mb=1024)
        # (port id, datapath) of every port made, and the ids of those
        # attached to the server.
        self.ports = []
        self._attached = set()

    def _host_taps(self):
        """The taps of the host whose VIF driver is plugging."""
        return self.taps[self._current_host[0]]

    def _create_tap_dev(self, dev, mac_address=None, multiqueue=False):
        self._host_taps().add(dev)

    def _read_netdev_attribute(self, name, attribute):
        if name not in self._host_taps():
            return None
        # A persistent, single-queue tap that no process holds.
        return {'ifindex': '7', 'tun_flags': '0x1802',
                'carrier': '0'}[attribute]

    def _record_xml(self, method, log, hostname):
        cls_name, method_name = method.split('.')
        original = getattr(getattr(fakelibvirt, cls_name), method_name)

        def record(obj, xml, *args, **kwargs):
            log.append((hostname(obj), xml))
            return original(obj, xml, *args, **kwargs)

        self.useFixture(fixtures.MonkeyPatch(
            'nova.tests.fixtures.libvirt.' + method, record))

    def start_compute(self, hostname='compute1', *args, **kwargs):
        # (restart_compute_service passes the old connection, positionally.)
        if not args and not kwargs:
            kwargs['pci_info'] = fakelibvirt.HostPCIDevicesInfo(
                num_pfs=1, num_vfs=2, bus=HOST_BUS[hostname])
        return super().start_compute(hostname, *args, **kwargs)

    def _watch(self, operation):
        """Tell the recording plugins which host's VIF driver calls them."""
        original = getattr(vif_vrouter.LibvirtVRouterVIFDriver, operation)

        def watched(vif_driver, instance, vif):
            self._current_host[0] = vif_driver.host.get_connection().hostname
            try:
                return original(vif_driver, instance, vif)
            finally:
                self._current_host[0] = None

        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.libvirt.vif_vrouter.LibvirtVRouterVIFDriver.' +
            operation, watched))

    def _create_port(self, datapath):
        index = len(self.ports) + 1
        port_id = getattr(uuids, 'vrouter_port_%d' % index)
        spec = DATAPATHS[datapath]
        details = {}
        if spec.vhostuser:
            details = {
                network_model.VIF_DETAILS_VHOSTUSER_MODE: 'server',
                network_model.VIF_DETAILS_VHOSTUSER_SOCKET:
                    '/var/run/vrouter/uvh_vif_%s' % self._devname(port_id),
            }
            if datapath == DPDK:
                details[
                    network_model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG] = True
        port = {
            'id': port_id,
            'network_id': self.neutron.network_4['id'],
            'status': 'ACTIVE',
            'mac_address': _mac(index),
            'fixed_ips': [{
                'ip_address': '192.168.4.%d' % (10 + index),
                'subnet_id': self.neutron.subnet_4['id'],
            }],
            'binding:vif_details': details,
            'binding:vif_type': spec.vif_type,
            'binding:vnic_type': spec.vnic_type,
            'binding:profile': {},
        }
        self.neutron.create_port({'port': port})
        self.ports.append((port_id, datapath))
        return port_id

    @staticmethod
    def _devname(port_id):
        return ('tap' + port_id)[:network_model.NIC_NAME_LEN]

    # What the checks look at.

    def _host_of(self, server):
        return self._show_server(server)['OS-EXT-SRV-ATTR:host']

    def _pci_slot(self, port_id):
        """The VF of the port's active binding, or None."""
        port = self.neutron.show_port(port_id)['port']
        return port['binding:profile'].get('pci_slot')

    def _last_xml(self, host, server):
        for xml_host, xml in reversed(self.guest_xml):
            if (xml_host == host and
                    etree.fromstring(xml).findtext('./uuid') == server['id']):
                return xml
        self.fail('no guest XML for %s on %s' % (server['id'], host))

    def _take_os_vif_calls(self):
        calls, self.os_vif_calls[:] = list(self.os_vif_calls), []
        return [(op, host, vif.id) for op, host, vif in calls], calls

    def _assert_interface(self, xml, port_id, datapath, host):
        """The port's <interface> in a guest XML is its datapath's."""
        spec = DATAPATHS[datapath]
        mac = self.neutron.show_port(port_id)['port']['mac_address']
        found = [iface for iface in etree.fromstring(xml).iter('interface')
                 if iface.find('./mac').get('address') == mac]
        self.assertEqual(1, len(found), xml)
        iface = found[0]
        self.assertEqual(spec.interface, iface.get('type'))
        if datapath == KERNEL:
            # The tap that plug made on that host, which libvirt opens.
            self.assertEqual(self._devname(port_id),
                             iface.find('./target').get('dev'))
            self.assertEqual('no', iface.find('./target').get('managed'))
            self.assertIn(self._devname(port_id), self.taps[host])
        elif spec.vhostuser:
            source = iface.find('./source')
            self.assertEqual('unix', source.get('type'))
            self.assertEqual('server', source.get('mode'))
            self.assertEqual(
                '/var/run/vrouter/uvh_vif_%s' % self._devname(port_id),
                source.get('path'))
            self.assertIsNone(iface.find('./mtu'))
        else:
            address = iface.find('./source/address')
            self.assertEqual(
                self._pci_slot(port_id),
                '%04x:%02x:%02x.%x' % tuple(
                    int(address.get(field), 16)
                    for field in ('domain', 'bus', 'slot', 'function')))
            self.assertEqual(HOST_BUS[host], int(address.get('bus'), 16))

    def _assert_guest(self, server, host, xml=None):
        """The server runs on host, its vRouter interfaces are right."""
        self.assertEqual(host, self._host_of(server))
        xml = xml or self._last_xml(host, server)
        for port_id, datapath in self.ports:
            if port_id in self._attached:
                self._assert_interface(xml, port_id, datapath, host)

    def _assert_no_tap(self, *hosts):
        """No kernel port has a tap on these hosts (default: on any)."""
        for host in hosts or self.taps:
            self.assertEqual(set(), self.taps[host], host)

    def _assert_os_vif(self, expected):
        """os-vif was asked for exactly these (operation, host, port)."""
        seen, calls = self._take_os_vif_calls()
        self.assertEqual(expected, seen)
        for op, host, vif in calls:
            port_datapath = dict(self.ports)[vif.id]
            spec = DATAPATHS[port_datapath]
            self.assertIsInstance(vif, spec.os_vif)
            self.assertEqual(spec.plugin, vif.plugin)
            if port_datapath in (DIRECT, FORWARDER) and op == 'plug':
                # The representor of the VF that Nova claimed on that host.
                address = vif.port_profile.datapath_offload.representor_address
                self.assertEqual(HOST_BUS[host], int(address.split(':')[1],
                                                     16))
                port = self.neutron.show_port(vif.id)['port']
                if port['binding:host_id'] == host:
                    self.assertEqual(self._pci_slot(vif.id), address)

    # The lifecycle.

    def _boot(self, datapath, host='host1'):
        self.start_compute('host1')
        self.start_compute('host2')
        port_id = self._create_port(datapath)
        self._attached = {port_id}
        server = self._create_server(
            flavor_id=self.flavor, networks=[{'port': port_id}], host=host)
        self._assert_guest(server, host)
        self._assert_os_vif([('plug', host, port_id)])
        return server, port_id

    @ddt.data(KERNEL, DPDK, DIRECT, FORWARDER)
    def test_boot_reboot_stop_start_rebuild_delete(self, datapath):
        server, port_id = self._boot(datapath)

        # A hard reboot destroys the domain and creates it again: unplug,
        # then plug, on the same host.
        self._reboot_server(server, hard=True)
        self._assert_guest(server, 'host1')
        self._assert_os_vif([('unplug', 'host1', port_id),
                             ('plug', 'host1', port_id)])

        # Stop leaves the port plugged; start re-creates the domain.
        self._stop_server(server)
        self._assert_os_vif([])
        self._start_server(server)
        self._assert_guest(server, 'host1')
        self._assert_os_vif([('unplug', 'host1', port_id),
                             ('plug', 'host1', port_id)])

        self._rebuild_server(server, self.glance.image2['id'])
        self._assert_guest(server, 'host1')
        self._assert_os_vif([('unplug', 'host1', port_id),
                             ('plug', 'host1', port_id)])

        self._delete_server(server)
        self._assert_os_vif([('unplug', 'host1', port_id)])
        self._assert_no_tap()

    @ddt.data(KERNEL, DPDK, DIRECT, FORWARDER)
    def test_attach_detach_interface(self, datapath):
        server, first = self._boot(KERNEL)
        port_id = self._create_port(datapath)
        self._attach_interface(server, port_id)
        self._attached.add(port_id)
        # Plugged first, then the interface attached to the running guest.
        self._assert_os_vif([('plug', 'host1', port_id)])
        (host, xml), = self.attached_xml
        self.assertEqual('host1', host)
        self._assert_interface(xml, port_id, datapath, 'host1')
        self._detach_interface(server, port_id)
        self._attached.discard(port_id)
        self._assert_os_vif([('unplug', 'host1', port_id)])
        self.assertEqual({self._devname(first)}, self.taps['host1'])

    @ddt.data(KERNEL, DPDK, DIRECT, FORWARDER)
    def test_live_migrate(self, datapath):
        server, port_id = self._boot(datapath)
        self.guest_xml[:] = []
        # (Not _live_migrate(): older releases' helper takes no host.)
        self.api.post_server_action(server['id'], {'os-migrateLive': {
            'host': 'host2', 'block_migration': 'auto'}})
        self._wait_for_migration_status(server, ['completed'])
        server = self._wait_for_state_change(server, 'ACTIVE')
        # The XML sent to host2 has host2's interface (for 'direct', host2's
        # VF); the port was plugged on host2 (pre_live_migration) before the
        # guest moved, and unplugged from host1 after.
        self._assert_guest(server, 'host2', self._last_xml('host2', server))
        expected = [('plug', 'host2', port_id), ('unplug', 'host1', port_id)]
        if datapath == DIRECT:
            # A passthrough VF cannot move: like any SR-IOV 'direct' port,
            # host1 detaches it (and unplugs its representor) before the
            # guest moves, and unplugs it again when it cleans up after the
            # move; the vRouter plugin's unplug is idempotent.
            expected.append(('unplug', 'host1', port_id))
        self._assert_os_vif(expected)
        self._assert_no_tap('host1')

    def _move_disks_nowhere(self, server):
        # fakelibvirt guests have no disks to copy: an instance directory
        # on storage shared by both hosts is all the libvirt driver needs
        # to move one.
        os.makedirs(os.path.join(CONF.instances_path, server['id']),
                    exist_ok=True)
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.driver.LibvirtDriver._is_path_shared_with',
            return_value=True))
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.driver.LibvirtDriver._get_instance_disk_info',
            return_value=[]))

    @ddt.data(KERNEL, DPDK, DIRECT, FORWARDER)
    def test_cold_migrate_and_resize(self, datapath):
        server, port_id = self._boot(datapath)
        self._move_disks_nowhere(server)
        server = self._migrate_server(server, host='host2')
        self._assert_guest(server, 'host2')
        self._assert_os_vif([('unplug', 'host1', port_id),
                             ('plug', 'host2', port_id)])
        server = self._confirm_on('host1', server)
        self._assert_os_vif([('unplug', 'host1', port_id)])

        server = self._resize_server(server, self.bigger_flavor)
        self._assert_guest(server, 'host1')
        self._assert_os_vif([('unplug', 'host2', port_id),
                             ('plug', 'host1', port_id)])
        server = self._confirm_on('host2', server)
        self._assert_os_vif([('unplug', 'host2', port_id)])
        self._assert_no_tap('host2')

    def _confirm_on(self, source, server):
        """Confirm a resize; the source cleans up.

        The source unplugs the ports it had when the guest left
        (migrate_disk_and_power_off) and again when the resize is confirmed
        (the vRouter plugin's unplug is idempotent).  It does the second
        only when it is not the instance's host, by [DEFAULT] host: one
        option for every compute service of this test, so it is set to the
        source's while it confirms.
        """
        self.flags(host=source)
        return self._confirm_resize(server)

    @ddt.data(KERNEL, DPDK, DIRECT, FORWARDER)
    def test_shelve_unshelve(self, datapath):
        server, port_id = self._boot(datapath)
        self._shelve_server(server)
        self._assert_os_vif([('unplug', 'host1', port_id)])
        self._assert_no_tap()
        self.api.put_service(self.computes['host1'].service_ref.uuid,
                             {'status': 'disabled'})
        server = self._unshelve_server(server)
        self._assert_guest(server, 'host2')
        self._assert_os_vif([('plug', 'host2', port_id)])

    @ddt.data(KERNEL, DPDK, DIRECT, FORWARDER)
    def test_evacuate(self, datapath):
        server, port_id = self._boot(datapath)
        self.computes['host1'].stop()
        self.api.put_service(self.computes['host1'].service_ref.uuid,
                             {'forced_down': True})
        # (Since microversion 2.95 an evacuated server lands stopped.)
        server = self._evacuate_server(server, expected_host='host2')
        self._assert_guest(server, 'host2')
        self._assert_os_vif([('plug', 'host2', port_id)])
        # host1 comes back and removes what it had of the evacuated server.
        self.restart_compute_service('host1')
        self._assert_os_vif([('unplug', 'host1', port_id)])
        self._assert_no_tap('host1')
