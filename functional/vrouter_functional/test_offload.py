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

"""SmartNIC offload: the VF passed through or relayed, its representor
plugged into the vRouter.

This host has no SR-IOV NIC: the VF's PCI address names no device, so the
domains are validated and defined, never started (libvirt cannot pass
through a device that does not exist), and the representor is a netdev
made for the test, named in a vendor VF -> representor map (Netronome's
nfp_vrouter format) that the plugin reads.  What is checked: the XML,
libvirt's acceptance of it, and that plug sets the representor up with
IPv6 off and registers it as the port's device, and unplug undoes both.
"""

import os

import fixtures
from vrouter_testing import iproute

from vrouter_functional import base
from vrouter_functional import host
from vrouter_functional import nova_guest

# A PCI address no device of this host has (checked in setUp).
VF_ADDRESS = '0000:fe:1f.6'


class OffloadTest(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.assertFalse(
            os.path.exists('/sys/bus/pci/devices/' + VF_ADDRESS),
            'this host has a PCI device at %s' % VF_ADDRESS)
        self.representor = self.useFixture(host.Representor())
        # The map's fields: unused, VF address, representor, VF number.
        vendor_map = self.useFixture(fixtures.TempDir()).join('fallback_map')
        with open(vendor_map, 'w') as f:
            f.write('0 %s %s 6\n' % (VF_ADDRESS, self.representor.name))
        self.node = self.compute_host(representor_map=vendor_map)
        self.instance = nova_guest.Instance('offloaded guest')

    def assertPlugUnplug(self, port):
        """Plug: the representor is up, IPv6 off, registered as the
        port's device; unplug: unregistered, down.
        """
        self.assertFalse(iproute.netdev_is_up(self.representor.name))
        self.node.plug(self.instance, port)
        self.assertTrue(iproute.netdev_is_up(self.representor.name))
        self.assertTrue(host.ipv6_disabled(self.representor.name))
        registered = self.assertRegistered(
            self.node, self.instance, port, self.representor.name)
        self.assertNotIn('vhostuser-mode', registered)

        self.node.unplug(self.instance, port)
        self.assertUnregistered(self.node, port)
        self.assertFalse(iproute.netdev_is_up(self.representor.name))

    def test_direct_hostdev(self):
        port = nova_guest.Port(nova_guest.OFFLOAD_DIRECT,
                               pci_slot=VF_ADDRESS)
        domain, _, _ = self.define(self.instance, [port])
        interface = domain.live_xml().find('./devices/interface')
        self.assertEqual(('hostdev', 'yes'),
                         (interface.get('type'), interface.get('managed')))
        self.assertEqual(port.mac, interface.find('mac').get('address'))
        address = interface.find('source/address')
        self.assertEqual(
            VF_ADDRESS,
            '%04x:%02x:%02x.%x' % tuple(int(address.get(name), 16) for name
                                        in ('domain', 'bus', 'slot',
                                            'function')))
        self.assertPlugUnplug(port)

    def test_virtio_forwarder_vhostuser(self):
        sockets = self.useFixture(host.QemuDir(writable=True))
        port = nova_guest.Port(nova_guest.OFFLOAD_VIRTIO_FORWARDER,
                               socket_dir=sockets.path, pci_slot=VF_ADDRESS)
        domain, _, _ = self.define(self.instance, [port],
                                   shared_memory=True)
        interface = domain.live_xml().find('./devices/interface')
        self.assertEqual('vhostuser', interface.get('type'))
        source = interface.find('source')
        self.assertEqual((port.socket, 'server'),
                         (source.get('path'), source.get('mode')))
        self.assertPlugUnplug(port)
