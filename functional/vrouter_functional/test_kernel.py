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

"""Kernel vRouter: a guest on an <interface type='ethernet'> tap."""

from vrouter_testing import iproute

from vrouter_functional import base
from vrouter_functional import datapath
from vrouter_functional import host
from vrouter_functional import nova_guest

GATEWAY = '%s/%d' % (nova_guest.GATEWAY, nova_guest.PREFIX_LENGTH)


class KernelVRouterTest(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        # The agent builds DNS records from the display name: one that
        # needs escaping in JSON.
        self.instance = nova_guest.Instance('web "front" -- 1')
        self.port = nova_guest.Port(nova_guest.KERNEL)

    def assertEthernetInterface(self, domain):
        """libvirt has the tap interface Nova's driver asked for."""
        interface = domain.live_xml().find('./devices/interface')
        self.assertEqual('ethernet', interface.get('type'))
        self.assertEqual(self.port.devname,
                         interface.find('target').get('dev'))
        self.assertEqual(self.port.mac, interface.find('mac').get('address'))
        self.assertEqual(str(nova_guest.MTU),
                         interface.find('mtu').get('size'))
        self.assertEqual('virtio', interface.find('model').get('type'))

    def assertDestroyed(self, domain, path):
        """The domain is stopped and its tap is gone (QEMU held the only
        file descriptor of it, wherever the datapath had put it).
        """
        domain.destroy()
        host.wait_until(
            lambda: not (iproute.netdev_exists(self.port.devname) or
                         path.netns.has_netdev(self.port.devname)),
            'removal of tap %s' % self.port.devname)

    def boot_and_reach_gateway(self, path):
        """Define and start the guest; it reaches the gateway on its tap."""
        domain, console, _ = self.define(self.instance, [self.port])
        domain.start()
        self.assertEthernetInterface(domain)
        self.assertGuestReachesGateway(console, domain, path, self.port)
        return domain

    def delete(self, node, domain, path):
        """Delete, as Nova does it: destroy the domain, then unplug."""
        self.assertDestroyed(domain, path)
        node.unplug(self.instance, self.port)
        self.assertUnregistered(node, self.port)

    def test_plug_boot_ping_unplug(self):
        node = self.compute_host()
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))

        # Spawn, as Nova does it: plug the VIFs, then create the domain.
        node.plug(self.instance, self.port)
        registered = self.assertRegistered(node, self.instance, self.port,
                                           self.port.devname)
        self.assertNotIn('vhostuser-mode', registered)
        domain = self.boot_and_reach_gateway(path)

        self.delete(node, domain, path)
        self.assertIn(('DELETE', '/port/' + self.port.id, 200),
                      node.agent.requests)

    def test_agent_down_at_plug_replays_port_file(self):
        node = self.compute_host(start_agent=False)
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))

        # The agent is down: the port file is all there is.
        node.plug(self.instance, self.port)
        self.assertIsNone(node.registration(self.port))
        self.assertEqual(self.port.devname,
                         node.port_file(self.port)['system-name'])

        domain, console, _ = self.define(self.instance, [self.port])
        domain.start()
        # The agent skips, for good, a replayed port whose device does not
        # exist: it is started once libvirt has made the tap.
        host.wait_until(lambda: iproute.netdev_exists(self.port.devname),
                        'tap %s' % self.port.devname)
        node.agent.start()
        self.assertEqual([self.port.id], node.agent.replayed)
        self.assertRegistered(node, self.instance, self.port,
                              self.port.devname)
        self.assertGuestReachesGateway(console, domain, path, self.port)

        self.delete(node, domain, path)

    def test_leftover_tap_before_start(self):
        # A persistent tap of the port's name, as the older
        # vif_plug_vrouter plugin made them, that nothing holds any more:
        # libvirt would refuse to start the guest ("The <tap> interface
        # already exists"), on libvirt 9.0 and 11.3 alike.
        iproute.ip('tuntap', 'add', 'dev', self.port.devname, 'mode', 'tap')
        self.addCleanup(self._delete_netdev, self.port.devname)
        node = self.compute_host()
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))

        # Nova's driver removes it when it plugs the port.
        node.plug(self.instance, self.port)
        self.assertFalse(iproute.netdev_exists(self.port.devname))
        self.assertRegistered(node, self.instance, self.port,
                              self.port.devname)
        domain = self.boot_and_reach_gateway(path)

        self.delete(node, domain, path)

    @staticmethod
    def _delete_netdev(name):
        if iproute.netdev_exists(name):
            iproute.ip('link', 'delete', name)
