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
# linux/if_tun.h
IFF_MULTI_QUEUE = 0x0100
IFF_PERSIST = 0x0800


class KernelVRouterTest(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        # The agent builds DNS records from the display name: one that
        # needs escaping in JSON.
        self.instance = nova_guest.Instance('web "front" -- 1')
        self.port = nova_guest.Port(nova_guest.KERNEL)

    def assertEthernetInterface(self, domain):
        """libvirt has the tap interface Nova's driver asked for, on the
        tap the driver made (managed='no').
        """
        interface = domain.live_xml().find('./devices/interface')
        self.assertEqual('ethernet', interface.get('type'))
        self.assertEqual(self.port.devname,
                         interface.find('target').get('dev'))
        self.assertEqual('no', interface.find('target').get('managed'))
        self.assertEqual(self.port.mac, interface.find('mac').get('address'))
        self.assertEqual(str(nova_guest.MTU),
                         interface.find('mtu').get('size'))
        self.assertEqual('virtio', interface.find('model').get('type'))

    def assertTap(self, multiqueue=False):
        """The port's tap is on the host: persistent (Nova's driver made
        it), with the network's MTU, up; its ifindex.
        """
        tap = self.port.devname
        flags = int(iproute.netdev_attribute(tap, 'tun_flags'), 16)
        self.assertTrue(flags & IFF_PERSIST, hex(flags))
        self.assertEqual(multiqueue, bool(flags & IFF_MULTI_QUEUE))
        self.assertEqual(str(nova_guest.MTU),
                         iproute.netdev_attribute(tap, 'mtu'))
        self.assertTrue(iproute.netdev_is_up(tap))
        return iproute.netdev_attribute(tap, 'ifindex')

    def boot_and_reach_gateway(self, path):
        """Define and start the guest; it reaches the gateway on its tap."""
        domain, console, _ = self.define(self.instance, [self.port])
        domain.start()
        self.assertEthernetInterface(domain)
        self.assertGuestReachesGateway(console, domain, path, self.port)
        return domain

    def delete(self, node, domain, path):
        """Delete, as Nova does it: destroy the domain, then unplug.

        The tap outlives the domain (the driver made it persistent); the
        unplug deletes it.
        """
        domain.destroy()
        path.guest_stopped()
        self.assertTap()
        node.unplug(self.instance, self.port)
        self.assertUnregistered(node, self.port)
        self.assertFalse(iproute.netdev_exists(self.port.devname))

    def test_plug_boot_ping_unplug(self):
        node = self.compute_host()
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))

        # Spawn, as Nova does it: plug the VIFs, then create the domain.
        # The tap exists before the agent hears of the port.
        node.plug(self.instance, self.port)
        self.assertTap()
        registered = self.assertRegistered(node, self.instance, self.port,
                                           self.port.devname)
        self.assertNotIn('vhostuser-mode', registered)
        domain = self.boot_and_reach_gateway(path)

        self.delete(node, domain, path)
        self.assertIn(('DELETE', '/port/' + self.port.id, 200),
                      node.agent.requests)

    def test_agent_restart_between_plug_and_start(self):
        # The agent restarts after the plug, before the domain starts: its
        # replay finds the tap and keeps the port.
        node = self.compute_host()
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))
        node.plug(self.instance, self.port)
        node.agent.restart()
        self.assertEqual([self.port.id], node.agent.replayed)
        self.assertEqual([], node.agent.replay_skipped)
        self.assertRegistered(node, self.instance, self.port,
                              self.port.devname)
        domain = self.boot_and_reach_gateway(path)
        self.delete(node, domain, path)

    def test_agent_down_at_plug_replays_port_file(self):
        node = self.compute_host(start_agent=False)
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))

        # The agent is down: the port file is all there is.
        node.plug(self.instance, self.port)
        self.assertIsNone(node.registration(self.port))
        self.assertEqual(self.port.devname,
                         node.port_file(self.port)['system-name'])

        # The tap exists since the plug: the agent, started before the
        # domain, replays the port.
        node.agent.start()
        self.assertEqual([self.port.id], node.agent.replayed)
        self.assertRegistered(node, self.instance, self.port,
                              self.port.devname)
        domain = self.boot_and_reach_gateway(path)

        self.delete(node, domain, path)

    def test_plug_again_keeps_the_tap(self):
        # Plugged again before the domain starts (a stopped server's
        # persistent tap that nobody holds), and while it runs (QEMU holds
        # the tap: nova-compute plugs running guests' VIFs again when it
        # starts): the same tap each time.
        node = self.compute_host()
        node.plug(self.instance, self.port)
        ifindex = self.assertTap()
        self.assertEqual(
            '0', iproute.netdev_attribute(self.port.devname, 'carrier'))
        node.plug(self.instance, self.port)
        self.assertEqual(ifindex, self.assertTap())

        # No datapath here: the tap stays on the host while the guest runs.
        domain, _, _ = self.define(self.instance, [self.port])
        domain.start()
        self.assertEthernetInterface(domain)
        host.wait_until(
            lambda: iproute.netdev_attribute(
                self.port.devname, 'carrier') == '1',
            'QEMU holding tap %s' % self.port.devname)
        node.plug(self.instance, self.port)
        self.assertEqual(ifindex, self.assertTap())
        self.assertRegistered(node, self.instance, self.port,
                              self.port.devname)

        domain.destroy()
        host.wait_until(
            lambda: iproute.netdev_attribute(
                self.port.devname, 'carrier') == '0',
            'QEMU letting go of tap %s' % self.port.devname)
        node.unplug(self.instance, self.port)
        self.assertFalse(iproute.netdev_exists(self.port.devname))

    def test_persistent_tap_nobody_holds_before_plug(self):
        # A persistent tap of the port's name, as the older
        # vif_plug_vrouter plugin made them, that nothing holds any more,
        # down: the driver uses it (libvirt opens it: managed='no').
        iproute.ip('tuntap', 'add', 'dev', self.port.devname, 'mode', 'tap')
        self.addCleanup(iproute.delete_netdev, self.port.devname)
        ifindex = iproute.netdev_attribute(self.port.devname, 'ifindex')
        node = self.compute_host()
        path = self.useFixture(datapath.KernelDatapath(
            node.agent, self.port.id, GATEWAY))

        node.plug(self.instance, self.port)
        self.assertEqual(ifindex, self.assertTap())
        self.assertRegistered(node, self.instance, self.port,
                              self.port.devname)
        domain = self.boot_and_reach_gateway(path)

        self.delete(node, domain, path)
