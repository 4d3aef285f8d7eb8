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

"""Multiqueue taps: a flavor with hw:vif_multiqueue_enabled.

Nova applies multiqueue on KVM hosts only: the interface gets
``<driver name='vhost' queues='<vcpus>'>``.  That backend needs
/dev/vhost-net and KVM, which this host does not have (TCG only), so
Nova's exact XML is validated and defined here but not started.  The
multiqueue tap itself is started with the backend a TCG host has,
``<driver name='qemu' queues='<vcpus>'>``: Nova's driver made the tap
with IFF_MULTI_QUEUE at plug, libvirt opens it with one queue per vCPU,
the guest sees them, and the port is registered and carries traffic
through the datapath like any tap.

Not checked here: the vhost-net backend (no /dev/vhost-net), KVM.
"""

from vrouter_testing import iproute

from vrouter_functional import base
from vrouter_functional import datapath
from vrouter_functional import nova_guest

GATEWAY = '%s/%d' % (nova_guest.GATEWAY, nova_guest.PREFIX_LENGTH)
VCPUS = 2
# linux/if_tun.h
IFF_MULTI_QUEUE = 0x0100


class MultiqueueTest(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.instance = nova_guest.Instance(
            'multiqueue guest', vcpus=VCPUS,
            extra_specs={'hw:vif_multiqueue_enabled': 'true'})
        self.port = nova_guest.Port(nova_guest.KERNEL)

    def assertMultiqueueDriver(self, domain, backend):
        interface = domain.live_xml().find('./devices/interface')
        self.assertEqual('ethernet', interface.get('type'))
        driver = interface.find('driver')
        self.assertEqual((backend, str(VCPUS)),
                         (driver.get('name'), driver.get('queues')))

    def test_kvm_config_validates_and_defines(self):
        interface = self.instance.interface(self.port, 'kvm')
        self.assertEqual(('vhost', VCPUS),
                         (interface.driver_name, interface.vhost_queues))
        # The rest of the guest as on this host (TCG): libvirt validates
        # and defines the interface as Nova made it for KVM.
        domain, _, _ = self.define(self.instance, [self.port],
                                   virt_type='kvm')
        self.assertMultiqueueDriver(domain, 'vhost')

    def test_multiqueue_tap_with_qemu_backend(self):
        # A single-queue persistent tap of the port's name that nobody
        # holds (the older plugin's): libvirt could not open it with one
        # queue per vCPU, so the driver makes it again.
        iproute.ip('tuntap', 'add', 'dev', self.port.devname, 'mode', 'tap')
        self.addCleanup(iproute.delete_netdev, self.port.devname)
        # nova-compute plugs as on KVM: the interface it builds there has
        # one queue per vCPU, and the tap is made multiqueue for it.
        self.conf.set_override('virt_type', 'kvm', group='libvirt')
        node = self.compute_host()
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))
        node.plug(self.instance, self.port)
        self.assertTrue(int(iproute.netdev_attribute(
            self.port.devname, 'tun_flags'), 16) & IFF_MULTI_QUEUE)
        self.assertRegistered(node, self.instance, self.port,
                              self.port.devname)

        interface = self.instance.interface(self.port, 'kvm')
        # The one change: the backend this host has instead of vhost-net.
        interface.driver_name = 'qemu'
        domain, console, _ = self.define_interfaces(
            self.instance, [interface], self.port.guest_args())
        self.assertMultiqueueDriver(domain, 'qemu')
        domain.start()

        self.assertGuestReachesGateway(console, domain, path, self.port,
                                       queues=VCPUS)

        domain.destroy()
        path.guest_stopped()
        node.unplug(self.instance, self.port)
        self.assertUnregistered(node, self.port)
        self.assertFalse(iproute.netdev_exists(self.port.devname))
