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

"""A port moving between two compute nodes, as live migration moves it.

Nova plugs the VIFs on the destination (pre_live_migration) while the
guest still runs on the source, and unplugs them on the source only once
the guest runs on the destination (post_live_migration).  For that while,
both nodes' agents have the port.  Each node here has its own agent and
port directory; the guest itself is not migrated (one libvirtd cannot
migrate to itself), the plugging is Nova's, through os-vif, per node.
"""

from vrouter_functional import base
from vrouter_functional import host
from vrouter_functional import nova_guest


class PortMoveTest(base.FunctionalTestCase):

    def _move(self, port, **expected):
        source = self.compute_host()
        destination = self.compute_host()
        instance = nova_guest.Instance('migrating guest')

        source.plug(instance, port)
        on_source = self.assertRegistered(source, instance, port,
                                          port.devname, **expected)

        # pre_live_migration, on the destination.
        destination.plug(instance, port)
        on_destination = self.assertRegistered(
            destination, instance, port, port.devname, **expected)
        # Nothing changed on the source.
        self.assertEqual(on_source, source.registration(port))
        self.assertEqual(on_source, source.port_file(port))

        # post_live_migration, on the source.
        source.unplug(instance, port)
        self.assertUnregistered(source, port)
        # Nothing lost on the destination.
        self.assertEqual(on_destination, destination.registration(port))
        self.assertEqual(on_destination, destination.port_file(port))
        self.assertEqual(1, destination.agent.version(port.id))
        self.assertNotIn('DELETE', [method for method, _, _
                                    in destination.agent.requests])

        destination.unplug(instance, port)
        self.assertUnregistered(destination, port)

    def test_kernel_port(self):
        self._move(nova_guest.Port(nova_guest.KERNEL))

    def test_dpdk_port(self):
        sockets = self.useFixture(host.QemuDir(writable=True))
        self._move(nova_guest.Port(nova_guest.DPDK, socket_dir=sockets.path),
                   **{'vhostuser-mode': 1})
