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

"""Base class of the plugin's tests: servers, and the node's view of them.
"""

import time

from tempest.api.compute import base
from tempest.common import waiters
from tempest import config

from vrouter_tempest_plugin import node as vrouter_node

CONF = config.CONF


class VRouterNodeTest(base.BaseV2ComputeAdminTest):
    """Servers whose ports the vRouter node must agree about."""

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_ports_client = cls.os_admin.ports_client
        cls.node = vrouter_node.Node(CONF.vrouter.agent_url,
                                     CONF.vrouter.port_dir,
                                     CONF.vrouter.libvirt_uri)

    def ports_of(self, server_id):
        return self.admin_ports_client.list_ports(
            device_id=server_id)['ports']

    def domain_of(self, server_id):
        server = self.admin_servers_client.show_server(server_id)['server']
        return server['OS-EXT-SRV-ATTR:instance_name']

    def assert_node_agrees(self, server_id, timeout=None):
        """The agent, the port files and the domain have the server's ports.

        Waits up to timeout (default: tempest's build timeout) for an
        agreement, then fails naming every difference.
        """
        timeout = timeout or CONF.compute.build_timeout
        deadline = time.monotonic() + timeout
        while True:
            server = self.servers_client.show_server(server_id)['server']
            ports = self.ports_of(server_id)
            problems = self.node.disagreements(
                server, ports, self.domain_of(server_id))
            if not problems or time.monotonic() > deadline:
                break
            time.sleep(CONF.compute.build_interval)
        self.assertEqual([], problems,
                         'server %s: the vRouter node disagrees' % server_id)
        self.assertNotEqual([], ports)
        return ports

    def assert_node_forgot(self, port_ids, timeout=None):
        """None of these ports is registered or has a port file."""
        timeout = timeout or CONF.compute.build_timeout
        deadline = time.monotonic() + timeout
        while True:
            problems = self.node.leftovers(port_ids)
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
