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

"""A guest on a kernel vRouter node and one on a DPDK vRouter node, on
one network, reach each other: the DPDK node's forwarders join the same
segment as the kernel node's taps.
"""

from tempest.common.utils.linux import remote_client
from tempest import config
from tempest.lib import decorators
import testtools

from vrouter_tempest_plugin import node as vrouter_node
from vrouter_tempest_plugin.tests.api import base

CONF = config.CONF


class VRouterDatapathsTest(base.VRouterNodeTest):

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        nodes, _ = vrouter_node.load(CONF.vrouter.nodes_file)
        kinds = set(n.datapath for n in nodes.values())
        if not {vrouter_node.KERNEL, vrouter_node.DPDK} <= kinds:
            raise cls.skipException('The cloud needs a kernel vRouter node '
                                    'and a DPDK one (it has %s).' %
                                    ', '.join(sorted(kinds)))

    def _zone(self, datapath):
        zones = set(n.zone for n in self.nodes.values()
                    if n.datapath == datapath)
        # A zone of one kind of nodes: the cloud puts DPDK nodes in a
        # zone of their own.
        self.assertEqual(1, len(zones), zones)
        return zones.pop()

    @decorators.idempotent_id('3d5f7b9c-1e2a-4c6d-8f0b-2a4c6e8f0a07')
    @testtools.skipUnless(CONF.validation.run_validation,
                          'Instance validation tests are disabled.')
    def test_kernel_guest_pings_dpdk_guest(self):
        validation_resources = self.get_test_validation_resources(
            self.os_primary)
        servers = {}
        for datapath in (vrouter_node.DPDK, vrouter_node.KERNEL):
            servers[datapath] = self.create_server_on_vrouter(
                validatable=True, validation_resources=validation_resources,
                availability_zone=self._zone(datapath))
        for datapath, server in sorted(servers.items()):
            host = self.host_of(server['id'])
            self.assertEqual(datapath, self.nodes[host].datapath, host)
            self.assert_node_agrees(server['id'])
        dpdk_ports = self.ports_of(servers[vrouter_node.DPDK]['id'])
        kernel = self.servers_client.show_server(
            servers[vrouter_node.KERNEL]['id'])['server']
        client = remote_client.RemoteClient(
            self.get_server_ip(kernel, validation_resources),
            CONF.validation.image_ssh_user, None,
            validation_resources['keypair']['private_key'],
            server=kernel, servers_client=self.servers_client)
        client.validate_authentication()
        # Over the project network's segment: the kernel node's tap, the
        # VXLAN between the nodes, the DPDK node's forwarder, vhost-user.
        client.ping_host(dpdk_ports[0]['fixed_ips'][0]['ip_address'])
