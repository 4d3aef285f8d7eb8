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

"""DPDK vRouter: <interface type='vhostuser'>, QEMU the socket's server.

Control plane, on every QEMU: the agent got the port with vhostuser-mode
1 (the vRouter connects), QEMU serves the socket at the path the binding
names, a DPDK vhost-user client (testpmd) completes the handshake,
without which QEMU would not let the domain run.  The guest leaves its
NIC alone.

Data path, from QEMU 10: testpmd forwards between the guest's vhost-user
port and a tap in a network namespace holding the gateway, as the DPDK
vRouter switches between a guest and its network; the guest pings the
gateway through it, with one queue pair and with two.  QEMU 7.2 (Debian
12) under TCG crashes as soon as the guest's virtio-net driver probes a
vhost-user device (measured; QEMU 10.0 from bookworm-backports does not),
so there these tests are skipped, saying so.
"""

import os
import pwd
import stat

from testtools import content

from vrouter_functional import base
from vrouter_functional import datapath
from vrouter_functional import host
from vrouter_functional import nova_guest

# The first QEMU measured to run a TCG guest driving vhost-user rings.
DATA_PATH_QEMU = (10, 0)
GATEWAY = '%s/%d' % (nova_guest.GATEWAY, nova_guest.PREFIX_LENGTH)


class DpdkVRouterTest(base.FunctionalTestCase):

    def test_vhostuser_server_with_dpdk_client(self):
        node = self.compute_host()
        # The DPDK vRouter's /var/run/vrouter: QEMU creates the sockets.
        sockets = self.useFixture(host.QemuDir(writable=True))
        self.assertTrue(host.writable_by(sockets.path, host.QEMU_USER))
        instance = nova_guest.Instance('dpdk guest')
        port = nova_guest.Port(nova_guest.DPDK, socket_dir=sockets.path)

        node.plug(instance, port)
        self.assertRegistered(node, instance, port, port.devname,
                              **{'vhostuser-mode': 1})

        domain, console, _ = self.define(instance, [port],
                                         shared_memory=True)
        interface = domain.live_xml().find('./devices/interface')
        self.assertEqual('vhostuser', interface.get('type'))
        source = interface.find('source')
        self.assertEqual(('unix', port.socket, 'server'),
                         (source.get('type'), source.get('path'),
                          source.get('mode')))
        self.assertEqual(port.mac, interface.find('mac').get('address'))

        testpmd = self.useFixture(datapath.TestPmd(port.socket))
        # QEMU waits for the vhost-user client before it runs the guest:
        # create() returns once testpmd has connected.
        domain.start()
        self.assertTrue(domain.is_running())
        console.wait_for('booted', domain)
        self.assertTrue(testpmd.running(), testpmd.log())
        # DPDK's vhost library says so once the handshake is done.
        self.assertIn('(%s) new device' % port.socket, testpmd.log())
        self.assertTrue(domain.is_running(), domain.qemu_log_tail())
        socket = os.stat(port.socket)
        self.assertTrue(stat.S_ISSOCK(socket.st_mode))
        self.assertEqual(host.QEMU_USER, pwd.getpwuid(socket.st_uid).pw_name)

        domain.destroy()
        self.assertFalse(os.path.exists(port.socket))
        node.unplug(instance, port)
        self.assertUnregistered(node, port)

    def skip_without_data_path(self):
        version = self.libvirt.qemu_version()
        if version < DATA_PATH_QEMU:
            self.skipTest(
                'QEMU %d.%d under TCG crashes once the guest drives '
                'vhost-user rings: the data path runs from QEMU %d.%d '
                '(tox -e functional-backports)' % (version + DATA_PATH_QEMU))

    def _guest_traffic(self, queues):
        self.skip_without_data_path()
        node = self.compute_host()
        sockets = self.useFixture(host.QemuDir(writable=True))
        extra_specs = {}
        if queues > 1:
            extra_specs['hw:vif_multiqueue_enabled'] = 'true'
        instance = nova_guest.Instance('dpdk traffic guest', vcpus=queues,
                                       extra_specs=extra_specs)
        port = nova_guest.Port(nova_guest.DPDK, socket_dir=sockets.path)
        node.plug(instance, port)
        self.assertRegistered(node, instance, port, port.devname,
                              **{'vhostuser-mode': 1})

        # Nova asks for queues on KVM hosts only; vhost-user has no
        # KVM-only backend, so that interface starts under TCG as it is.
        interface = instance.interface(
            port, 'kvm' if queues > 1 else 'qemu')
        self.assertEqual(queues if queues > 1 else None,
                         interface.vhost_queues)
        domain, console, _ = self.define_interfaces(
            instance, [interface], port.guest_args(traffic=True),
            shared_memory=True)
        netns = self.useFixture(host.NetNamespace())
        testpmd = self.useFixture(datapath.TestPmd(
            port.socket, tap=host.unique_name('vrfdtap'), queues=queues))
        self.addCleanup(lambda: self.addDetail(
            'testpmd log', content.text_content(testpmd.log())))
        domain.start()
        testpmd.forward(netns, GATEWAY)

        nic = console.wait_for('nic', domain)
        self.assertEqual((port.mac, str(queues)),
                         (nic.values['mac'], nic.values['queues']))
        ping = console.wait_for('ping', domain)
        self.assertEqual(['ok'], ping.words, console.tail())
        # Both ways through testpmd: port 0 is the guest's (vhost-user),
        # port 1 the tap.
        stats = testpmd.port_stats()
        self.addDetail('testpmd port stats',
                       content.json_content(stats))
        for received, sent in ((0, 1), (1, 0)):
            self.assertGreater(stats[received]['rx'], 0, stats)
            self.assertGreater(stats[sent]['tx'], 0, stats)
        fields = netns.ip('neigh', 'show', nova_guest.ADDRESS).split()
        self.assertIn(port.mac, fields)

        domain.destroy()
        node.unplug(instance, port)
        self.assertUnregistered(node, port)

    def test_guest_traffic_through_testpmd(self):
        self._guest_traffic(queues=1)

    def test_guest_traffic_multiqueue(self):
        self._guest_traffic(queues=2)
