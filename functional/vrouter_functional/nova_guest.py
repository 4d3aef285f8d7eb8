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

"""Nova's side: ports as Nova stores them, instances, whole guest configs.

The interface of every vRouter port comes from the patched Nova's
``LibvirtVRouterVIFDriver.get_config``; the rest of the guest is built
with ``nova.virt.libvirt.config`` the way Nova's libvirt driver builds it
(serial console logged by virtlogd, file-backed shared memory for
vhost-user), around a direct kernel boot of the suite's guest.
"""

import os
import random
import shutil
import uuid

from nova.network import model as network_model
from nova import objects
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import vif_vrouter
from vrouter_testing import guest_init

objects.register_all()

# Built by tools/functional-setup (tools/vrtools/guest.py).
GUEST_BUILD = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', '.functional-build', 'guest'))
GUEST_FILES = ('vmlinuz', 'initramfs.gz')

# The vRouter datapaths (nova.network.model_vrouter.DATAPATHS).
KERNEL = 'kernel'
DPDK = 'dpdk'
OFFLOAD_DIRECT = 'offload-direct'
OFFLOAD_VIRTIO_FORWARDER = 'offload-virtio-forwarder'

# Every port is on this subnet: each test has its own datapath (a network
# namespace per port), so they never meet.
PREFIX_LENGTH = 24
GATEWAY = '10.0.0.1'
ADDRESS = '10.0.0.5'
GATEWAY6 = 'fd00::1'
ADDRESS6 = 'fd00::5'
MTU = 1450


def _ip(address, kind='fixed'):
    version = 6 if ':' in address else 4
    return {'address': address, 'type': kind, 'version': version,
            'meta': {}}


class Port(object):
    """A Neutron port bound to the vRouter, as Nova keeps it.

    Each port has fresh ids (port, network, MAC), so that tests running
    side by side never share a device, a file or a socket.

    :param datapath: KERNEL, DPDK, OFFLOAD_DIRECT or
        OFFLOAD_VIRTIO_FORWARDER
    :param socket_dir: where the vhost-user socket is (DPDK,
        OFFLOAD_VIRTIO_FORWARDER)
    :param pci_slot: the VF's PCI address (offload)
    """

    def __init__(self, datapath=KERNEL, socket_dir=None, pci_slot=None,
                 mtu=MTU):
        self.datapath = datapath
        self.id = str(uuid.uuid4())
        self.network_id = str(uuid.uuid4())
        self.devname = ('tap' + self.id)[:network_model.NIC_NAME_LEN]
        self.mac = 'fa:16:3e:%02x:%02x:%02x' % tuple(
            random.randrange(256) for _ in range(3))
        self.mtu = mtu
        self.pci_slot = pci_slot
        self.socket = None
        if socket_dir is not None:
            # What the vRouter's Neutron plugin sends, in our directory.
            self.socket = os.path.join(socket_dir, 'uvh_vif_' + self.devname)

    def _binding(self):
        """vif_type, vnic_type, details and profile of the binding."""
        vhostuser = {'vhostuser_mode': 'server',
                     'vhostuser_socket': self.socket,
                     'vhostuser_vrouter_plug': True}
        if self.datapath == KERNEL:
            return 'vrouter', 'normal', {'port_filter': True}, {}
        if self.datapath == DPDK:
            return 'vhostuser', 'normal', vhostuser, {}
        profile = {'pci_slot': self.pci_slot}
        if self.datapath == OFFLOAD_DIRECT:
            return 'vrouter', 'direct', {'port_filter': True}, profile
        if self.datapath == OFFLOAD_VIRTIO_FORWARDER:
            return 'vrouter', 'virtio-forwarder', vhostuser, profile
        raise ValueError(self.datapath)

    def legacy(self, project_id):
        """The port as a plain dict (network_info's JSON form)."""
        vif_type, vnic_type, details, profile = self._binding()
        network = {
            'id': self.network_id,
            'bridge': None,
            'label': 'functional-net',
            'subnets': [
                {'cidr': '10.0.0.0/%d' % PREFIX_LENGTH,
                 'dns': [], 'gateway': _ip(GATEWAY, 'gateway'),
                 'ips': [dict(_ip(ADDRESS), floating_ips=[])],
                 'routes': [], 'version': 4,
                 'meta': {'dhcp_server': '10.0.0.2'}},
                {'cidr': 'fd00::/64', 'dns': [],
                 'gateway': _ip(GATEWAY6, 'gateway'),
                 'ips': [dict(_ip(ADDRESS6), floating_ips=[])],
                 'routes': [], 'version': 6, 'meta': {}},
            ],
            'meta': {'injected': False, 'tenant_id': project_id,
                     'mtu': self.mtu, 'physical_network': None,
                     'tunneled': True},
        }
        return {
            'id': self.id, 'address': self.mac, 'network': network,
            'type': vif_type, 'details': details, 'devname': self.devname,
            'ovs_interfaceid': None, 'qbh_params': None, 'qbg_params': None,
            'active': True, 'vnic_type': vnic_type, 'profile': profile,
            'preserve_on_delete': False, 'delegate_create': False,
            'meta': {},
        }

    def guest_args(self, traffic=None):
        """Kernel command line words telling the guest its address.

        :param traffic: whether the guest uses its NIC; by default only
            on taps (a vhost-user data path needs a forwarding backend)
        """
        if traffic is None:
            traffic = self.datapath == KERNEL
        if not traffic:
            return [guest_init.NO_NETWORK]
        return guest_init.network_args(ADDRESS, PREFIX_LENGTH, GATEWAY)


def shared_memory_backing():
    """File-backed shared memory, as Nova's [libvirt]file_backed_memory
    gives it: vhost-user needs the guest's memory shared with the backend.
    """
    membacking = vconfig.LibvirtConfigGuestMemoryBacking()
    membacking.filesource = True
    membacking.sharedaccess = True
    membacking.allocateimmediate = True
    membacking.discard = True
    return membacking


class Instance(object):
    """A Nova instance with its flavor and (empty) image properties.

    :ivar instance: nova.objects.Instance
    :ivar flavor: nova.objects.Flavor
    :ivar image_meta: nova.objects.ImageMeta
    """

    def __init__(self, display_name, vcpus=1, memory_mb=256,
                 extra_specs=None):
        self.flavor = objects.Flavor(
            name='functional', flavorid='functional', vcpus=vcpus,
            memory_mb=memory_mb, root_gb=0, ephemeral_gb=0, swap=0,
            extra_specs=extra_specs or {})
        self.instance = objects.Instance(
            id=random.randrange(1, 2 ** 31), uuid=str(uuid.uuid4()),
            display_name=display_name, project_id=uuid.uuid4().hex,
            user_id=uuid.uuid4().hex, vcpus=vcpus, memory_mb=memory_mb,
            flavor=self.flavor)
        self.image_meta = objects.ImageMeta.from_dict({})
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()

    @property
    def name(self):
        """The libvirt domain name ('instance-0000002a')."""
        return self.instance.name

    def vif(self, port):
        """The port as Nova's driver receives it (network_model.VIF)."""
        return network_model.VIF.hydrate(
            port.legacy(self.instance.project_id))

    def interface(self, port, virt_type='qemu'):
        """The port's LibvirtConfigGuestInterface, from Nova's driver."""
        return self.driver.get_config(
            self.instance, self.vif(port), self.image_meta, self.flavor,
            virt_type)

    def tcg_guest(self, kernel):
        """A bare guest config of this instance (TCG, direct kernel boot)."""
        guest = vconfig.LibvirtConfigGuest()
        guest.virt_type = 'qemu'
        guest.name = self.name
        guest.uuid = self.instance.uuid
        guest.memory = self.flavor.memory_mb * 1024
        guest.vcpus = self.flavor.vcpus
        guest.os_type = 'hvm'
        guest.os_kernel = kernel
        return guest

    def guest(self, interfaces, files_dir, guest_args=(),
              shared_memory=False):
        """The whole guest config, as an lxml element.

        :param interfaces: LibvirtConfigGuestInterface objects
        :param files_dir: a directory QEMU can read (host.QemuDir): the
            kernel and initramfs are copied there, the console log is
            written there
        :param guest_args: words for the guest's kernel command line
        :param shared_memory: file-backed shared memory, as Nova's
            [libvirt]file_backed_memory gives it (vhost-user needs the
            guest's memory shared with the backend)
        """
        for name in GUEST_FILES:
            source = os.path.join(GUEST_BUILD, name)
            if not os.path.exists(source):
                raise RuntimeError('%s is missing: run tools/functional-setup'
                                   % source)
            shutil.copy(source, os.path.join(files_dir, name))
        guest = self.tcg_guest(os.path.join(files_dir, 'vmlinuz'))
        guest.os_initrd = os.path.join(files_dir, 'initramfs.gz')
        guest.os_cmdline = ' '.join(['console=ttyS0', 'panic=-1'] +
                                    list(guest_args))
        guest.features = [vconfig.LibvirtConfigGuestFeatureACPI(),
                          vconfig.LibvirtConfigGuestFeatureAPIC()]
        if shared_memory:
            guest.membacking = shared_memory_backing()
        for interface in interfaces:
            guest.add_device(interface)
        serial = vconfig.LibvirtConfigGuestSerial()
        serial.type = 'pty'
        serial.log = vconfig.LibvirtConfigGuestCharDeviceLog()
        serial.log.file = self.console_log(files_dir)
        guest.add_device(serial)
        return guest.format_dom()

    @staticmethod
    def console_log(files_dir):
        return os.path.join(files_dir, 'console.log')
