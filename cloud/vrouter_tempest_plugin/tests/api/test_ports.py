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

"""Servers on vRouter ports: the node agrees through their whole life.

For each server, as its node's vRouter has it (``node``): every Neutron
port is bound ``vrouter`` on a kernel node, ``vhostuser`` with the
vRouter's plug and QEMU as the socket's server on a DPDK node;
registered at the agent with its device name, MAC, first IPv4 and the
server's display name (and ``vhostuser-mode`` 1 on a DPDK node), has its
port file (the same JSON), and is an ``ethernet`` interface of the domain
with that tap, or a ``vhostuser`` one whose socket QEMU serves; after
each lifecycle operation (hard reboot, stop and start, rebuild, resize,
shelve and unshelve, attaching and detaching an interface) they still
agree, and once the server (or the port) is gone, so are the
registration, the file and the socket.  Which node the servers go to is
the cloud's (``tools/tempest-job --dpdk``: the DPDK zone).
"""

import netaddr
from tempest.common import compute
from tempest.common.utils.linux import remote_client
from tempest.common import waiters
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
import testtools

from vrouter_tempest_plugin.tests.api import base

CONF = config.CONF


class VRouterPortsTest(base.VRouterNodeTest):

    def _ssh(self, server, validation_resources):
        server = self.servers_client.show_server(server['id'])['server']
        client = remote_client.RemoteClient(
            self.get_server_ip(server, validation_resources),
            CONF.validation.image_ssh_user, None,
            validation_resources['keypair']['private_key'],
            server=server, servers_client=self.servers_client)
        client.validate_authentication()
        return client

    @decorators.idempotent_id('6a1f3c2e-8f4b-4f57-9a43-0b6f2d7a9c01')
    def test_boot_and_delete(self):
        server = self.create_test_server(wait_until='ACTIVE')
        ports = self.assert_node_agrees(server['id'])
        self.servers_client.delete_server(server['id'])
        waiters.wait_for_server_termination(self.servers_client,
                                            server['id'])
        self.assert_node_forgot([p['id'] for p in ports])

    @decorators.idempotent_id('0c7b9d14-5e2a-4c8e-b1f6-3d9a7e2c4b02')
    @testtools.skipUnless(CONF.validation.run_validation,
                          'Instance validation tests are disabled.')
    def test_hard_reboot_and_stop_start(self):
        validation_resources = self.get_test_validation_resources(
            self.os_primary)
        server = self.create_server_on_vrouter(
            validatable=True, validation_resources=validation_resources)
        self._ssh(server, validation_resources)
        self.assert_node_agrees(server['id'])
        self.reboot_server(server['id'], type='HARD')
        self.assert_node_agrees(server['id'])
        # The guest is reachable again: the datapath followed the new tap.
        self._ssh(server, validation_resources)
        self.servers_client.stop_server(server['id'])
        self.wait_for(server['id'], 'SHUTOFF')
        self.servers_client.start_server(server['id'])
        self.wait_for(server['id'], 'ACTIVE')
        self.assert_node_agrees(server['id'])

    @decorators.idempotent_id('4e8d2a61-7b3c-4f0a-9c5e-1a2b3c4d5e03')
    def test_rebuild(self):
        server = self.create_server_on_vrouter()
        before = self.assert_node_agrees(server['id'])
        self.servers_client.rebuild_server(server['id'],
                                           CONF.compute.image_ref_alt)
        self.wait_for(server['id'], 'ACTIVE')
        after = self.assert_node_agrees(server['id'])
        self.assertEqual(sorted(p['id'] for p in before),
                         sorted(p['id'] for p in after))

    @decorators.idempotent_id('9b1c3e5f-2d4a-4b6c-8e0f-7a9b1c3d5e04')
    @testtools.skipUnless(CONF.compute_feature_enabled.resize,
                          'Resize is not available.')
    def test_resize_revert_and_confirm(self):
        server = self.create_server_on_vrouter()
        self.assert_node_agrees(server['id'])
        self.servers_client.resize_server(server['id'],
                                          CONF.compute.flavor_ref_alt)
        self.wait_for(server['id'], 'VERIFY_RESIZE')
        self.assert_node_agrees(server['id'])
        self.servers_client.revert_resize_server(server['id'])
        self.wait_for(server['id'], 'ACTIVE')
        self.assert_node_agrees(server['id'])
        self.resize_server(server['id'], CONF.compute.flavor_ref_alt)
        self.assert_node_agrees(server['id'])

    @decorators.idempotent_id('2f4a6c8e-0b1d-4e3f-a5c7-9e1b3d5f7a05')
    @testtools.skipUnless(CONF.compute_feature_enabled.shelve,
                          'Shelve is not available.')
    def test_shelve_unshelve(self):
        server = self.create_server_on_vrouter()
        ports = self.assert_node_agrees(server['id'])
        compute.shelve_server(self.servers_client, server['id'],
                              force_shelve_offload=True)
        # Offloaded: no domain on the node, and so no registration.
        self.assert_node_forgot([p['id'] for p in ports])
        self.servers_client.unshelve_server(server['id'])
        self.wait_for(server['id'], 'ACTIVE')
        self.assert_node_agrees(server['id'])

    @decorators.idempotent_id('7c9e1a3b-5d7f-4a2c-8e4a-6b8d0f2a4c06')
    @testtools.skipUnless(CONF.compute_feature_enabled.interface_attach,
                          'Interface attach is not available.')
    @testtools.skipUnless(CONF.validation.run_validation,
                          'Instance validation tests are disabled.')
    def test_attach_detach_interface(self):
        # The network first: its cleanup then runs after the server's.
        network = self.os_primary.networks_client.create_network(
            name=data_utils.rand_name('vrouter-attach'))['network']
        self.addCleanup(self.os_primary.networks_client.delete_network,
                        network['id'])
        subnet = self.os_primary.subnets_client.create_subnet(
            network_id=network['id'], ip_version=4,
            cidr=self._free_cidr())['subnet']
        self.addCleanup(self.os_primary.subnets_client.delete_subnet,
                        subnet['id'])
        validation_resources = self.get_test_validation_resources(
            self.os_primary)
        server = self.create_server_on_vrouter(
            validatable=True, validation_resources=validation_resources)
        # A NIC is unplugged only by a guest that answers the hot-unplug
        # request: wait until it is up, as tempest's own interface tests
        # do.
        self._ssh(server, validation_resources)
        first = self.assert_node_agrees(server['id'])
        attached = self.interfaces_client.create_interface(
            server['id'], net_id=network['id'])['interfaceAttachment']
        waiters.wait_for_interface_status(
            self.interfaces_client, server['id'], attached['port_id'],
            'ACTIVE')
        ports = self.assert_node_agrees(server['id'])
        self.assertEqual(len(first) + 1, len(ports))
        body = self.interfaces_client.delete_interface(server['id'],
                                                       attached['port_id'])
        # The instance action's events, which the waiter reads, are shown
        # to admins only (Nova's default policy).
        waiters.wait_for_interface_detach(
            self.admin_servers_client, server['id'], attached['port_id'],
            body.response['x-openstack-request-id'])
        self.assert_node_forgot([attached['port_id']])
        self.assert_node_agrees(server['id'])

    def _free_cidr(self):
        # A /28 of the project range that no subnet uses yet: the
        # server's first NIC is on one of them, and a guest with two NICs
        # on one subnet would not know which to answer from.
        used = [netaddr.IPNetwork(s['cidr']) for s in
                self.os_admin.subnets_client.list_subnets()['subnets']]
        for cidr in netaddr.IPNetwork(
                CONF.network.project_network_cidr).subnet(28):
            if not any(cidr in u or u in cidr for u in used):
                return str(cidr)
        raise AssertionError('no free /28 in %s' %
                             CONF.network.project_network_cidr)
