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

"""Base class of the plugin's tests: servers, and the nodes' view of them.
"""

import subprocess
import time

from tempest.api.compute import base
from tempest.common import waiters
from tempest import config

from vrouter_tempest_plugin import node as vrouter_node

CONF = config.CONF


class VRouterNodeTest(base.BaseV2ComputeAdminTest):
    """Servers whose ports the vRouter nodes must agree about."""

    @classmethod
    def setup_credentials(cls):
        # A network, subnet and router of the test project's own, so that
        # validation reaches its servers over floating IPs.
        cls.prepare_instance_network()
        super().setup_credentials()

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_ports_client = cls.os_admin.ports_client
        cls.nodes, cls.node_command = vrouter_node.load(
            CONF.vrouter.nodes_file)

    def host_of(self, server_id):
        server = self.admin_servers_client.show_server(server_id)['server']
        return server['OS-EXT-SRV-ATTR:host']

    def node_action(self, host, action):
        """Stop, kill or start a node's nova-compute or agent."""
        subprocess.run(self.node_command + [host, action], check=True,
                       timeout=300)

    def ports_of(self, server_id):
        return self.admin_ports_client.list_ports(
            device_id=server_id)['ports']

    def domain_of(self, server_id):
        server = self.admin_servers_client.show_server(server_id)['server']
        return server['OS-EXT-SRV-ATTR:instance_name']

    def assert_node_agrees(self, server_id, timeout=None, others=True):
        """The server's node has its ports, and no other node has them.

        On the node that hosts the server (Nova's view), the agent, the
        port files and the domain (and on a DPDK node the sockets) have
        the server's ports, as that node's vRouter has them; with others,
        every other node has no registration, file or socket of them (a
        move is complete).  Waits up to timeout (default: tempest's build
        timeout) for an agreement, then fails naming every difference.
        """
        timeout = timeout or CONF.compute.build_timeout
        deadline = time.monotonic() + timeout
        while True:
            server = self.admin_servers_client.show_server(
                server_id)['server']
            host = server['OS-EXT-SRV-ATTR:host']
            ports = self.ports_of(server_id)
            node = self.nodes.get(host)
            if node is None:
                problems = ['server %s is on %s, not a vRouter node of the '
                            'cloud (%s)' % (server_id, host,
                                            ', '.join(sorted(self.nodes)))]
            else:
                problems = node.disagreements(
                    server, ports, server['OS-EXT-SRV-ATTR:instance_name'])
            for other in sorted(set(self.nodes) - set([host])):
                if others:
                    problems += self.nodes[other].leftovers(
                        [p['id'] for p in ports])
            if not problems or time.monotonic() > deadline:
                break
            time.sleep(CONF.compute.build_interval)
        self.assertEqual([], problems,
                         'server %s: the vRouter nodes disagree' % server_id)
        self.assertNotEqual([], ports)
        return ports

    def assert_node_forgot(self, port_ids, timeout=None, hosts=None):
        """No node (of hosts, default all) has these ports' registrations
        or files.
        """
        timeout = timeout or CONF.compute.build_timeout
        deadline = time.monotonic() + timeout
        while True:
            problems = []
            for host in sorted(hosts or self.nodes):
                problems += self.nodes[host].leftovers(port_ids)
            if not problems or time.monotonic() > deadline:
                break
            time.sleep(CONF.compute.build_interval)
        self.assertEqual([], problems)

    def create_server_on_vrouter(self, **kwargs):
        server = self.create_test_server(wait_until='ACTIVE', **kwargs)
        self.addCleanup(self.delete_server, server['id'])
        return server

    def wait_for(self, server_id, status):
        waiters.wait_for_server_status(self.servers_client, server_id,
                                       status)
