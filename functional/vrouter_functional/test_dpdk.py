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

Control plane only: under TCG, QEMU crashes once the guest drives the
vhost-user rings (bindings.md), so the guest does not load its NIC
driver, and no packet crosses the socket.  What is checked: the agent got
the port with vhostuser-mode 1 (the vRouter connects), QEMU serves the
socket at the path the binding names, a DPDK vhost-user client (testpmd)
completes the handshake, without which QEMU would not let the domain run.
"""

import os
import pwd
import stat

from vrouter_functional import base
from vrouter_functional import datapath
from vrouter_functional import host
from vrouter_functional import nova_guest


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
