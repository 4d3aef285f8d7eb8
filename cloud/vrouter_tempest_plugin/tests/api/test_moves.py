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

"""Servers moving between vRouter nodes: the port moves with them.

After every move, the destination node's agent and port files hold each
port of the server (device name, MAC, IPs, display name), its domain has
the port's interface, the guest answers over SSH through the destination
node's datapath, and the source node holds the port no longer once the
move is complete (a live migration: both hold it while the guest moves;
a cold migration: the source unplugs it when it powers the guest off, so
the destination alone holds it while the move waits for confirmation).
Evacuation, which tempest does not test: the source node's nova-compute
stops and its service is forced down; the server is rebuilt on the other
node; when the source node's nova-compute comes back, it removes the
evacuated server's domain and port from its own agent and files only.
"""

import time

from tempest.common.utils.linux import remote_client
from tempest.common import waiters
from tempest import config
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc
import testtools

from vrouter_tempest_plugin.tests.api import base

CONF = config.CONF


class _MovesTest(base.VRouterNodeTest):

    # Services by id, force down: 2.53.
    min_microversion = '2.53'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if CONF.compute.min_compute_nodes < 2:
            raise cls.skipException('Less than 2 compute nodes, skipping '
                                    'multinode tests.')

    def _server(self):
        validation_resources = self.get_test_validation_resources(
            self.os_primary)
        server = self.create_server_on_vrouter(
            validatable=True, validation_resources=validation_resources)
        self._ssh(server, validation_resources)
        return server, validation_resources

    def _ssh(self, server, validation_resources):
        server = self.servers_client.show_server(server['id'])['server']
        client = remote_client.RemoteClient(
            self.get_server_ip(server, validation_resources),
            CONF.validation.image_ssh_user, None,
            validation_resources['keypair']['private_key'],
            server=server, servers_client=self.servers_client)
        client.validate_authentication()
        return client

    def _assert_moved(self, server_id, source, validation_resources):
        destination = self.host_of(server_id)
        self.assertNotEqual(source, destination)
        ports = self.assert_node_agrees(server_id)
        self._ssh({'id': server_id}, validation_resources)
        return ports

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_services_client = cls.os_admin.services_client

    def wait_for(self, server_id, status):
        waiters.wait_for_server_status(self.admin_servers_client, server_id,
                                       status)

    def _wait_host_change(self, server_id, source):
        deadline = time.monotonic() + CONF.compute.build_timeout
        while (self.host_of(server_id) == source and
               time.monotonic() < deadline):
            time.sleep(CONF.compute.build_interval)


class VRouterMovesTest(_MovesTest):

    @decorators.idempotent_id('3d0f6a2b-9c1e-4b7d-8a5f-2e6c9b1d4f10')
    @testtools.skipUnless(CONF.compute_feature_enabled.live_migration,
                          'Live migration is not available.')
    def test_live_migration_there_and_back(self):
        server, validation_resources = self._server()
        first = self.host_of(server['id'])
        self.assert_node_agrees(server['id'])
        for _ in range(2):
            source = self.host_of(server['id'])
            self.admin_servers_client.live_migrate_server(
                server['id'], host=None, block_migration='auto')
            self.wait_for(server['id'], 'ACTIVE')
            self._wait_host_change(server['id'], source)
            self._assert_moved(server['id'], source, validation_resources)
        self.assertEqual(first, self.host_of(server['id']))

    def _cold_migrate(self, server_id):
        source = self.host_of(server_id)
        self.admin_servers_client.migrate_server(server_id)
        self.wait_for(server_id, 'VERIFY_RESIZE')
        destination = self.host_of(server_id)
        self.assertNotEqual(source, destination)
        # Waiting for confirmation: the destination has the port and the
        # domain; the source unplugged the port when it powered the guest
        # off, before the disks were copied (a revert plugs it again).
        ports = self.assert_node_agrees(server_id)
        return source, destination, ports

    @decorators.idempotent_id('8b4e1c7a-2f5d-4e9b-b3a6-7c1d0e2f5a11')
    @testtools.skipUnless(CONF.compute_feature_enabled.cold_migration,
                          'Cold migration is not available.')
    def test_cold_migration_confirm(self):
        server, validation_resources = self._server()
        source, _, ports = self._cold_migrate(server['id'])
        self.admin_servers_client.confirm_resize_server(server['id'])
        self.wait_for(server['id'], 'ACTIVE')
        self._assert_moved(server['id'], source, validation_resources)

    @decorators.idempotent_id('c5a9e3d1-6b2f-4c8a-9d7e-1f3b5a7c9e12')
    @testtools.skipUnless(CONF.compute_feature_enabled.cold_migration,
                          'Cold migration is not available.')
    def test_cold_migration_revert(self):
        server, validation_resources = self._server()
        source, destination, ports = self._cold_migrate(server['id'])
        self.admin_servers_client.revert_resize_server(server['id'])
        self.wait_for(server['id'], 'ACTIVE')
        self.assertEqual(source, self.host_of(server['id']))
        self.assert_node_agrees(server['id'])
        self._ssh(server, validation_resources)

    @decorators.idempotent_id('e1b7d5f3-8a4c-4e6b-a2d9-3c5e7f9b1d13')
    @testtools.skipUnless(CONF.compute_feature_enabled.resize,
                          'Resize is not available.')
    def test_resize_to_the_other_node(self):
        server, validation_resources = self._server()
        source = self.host_of(server['id'])
        self.resize_server(server['id'], CONF.compute.flavor_ref_alt)
        self._assert_moved(server['id'], source, validation_resources)


@decorators.serial
class VRouterEvacuateTest(_MovesTest):
    """Runs alone: it stops a node's nova-compute under other tests.

    tempest runs a serial class while no other test runs.
    """

    @decorators.idempotent_id('a7c3e9b5-1d6f-4a8c-b4e2-5d7f9a1c3e14')
    def test_evacuate(self):
        server, validation_resources = self._server()
        source = self.host_of(server['id'])
        ports = self.assert_node_agrees(server['id'])
        port_ids = [p['id'] for p in ports]
        service = self._compute_service(source)
        # The host is lost to the cloud: its nova-compute stops, and the
        # operator says it is down.  Its guest and agent go on.
        self._stopped = set()
        self._stop_compute(source)
        self.addCleanup(self._bring_back, source, service['id'])
        self.admin_services_client.update_service(service['id'],
                                                  forced_down=True)
        self.admin_servers_client.evacuate_server(server['id'])
        self._wait_host_change(server['id'], source)
        self.wait_for(server['id'], 'ACTIVE')
        # The destination has the port; the lost node still holds it.
        self.assert_node_agrees(server['id'], others=False)
        self.assertEqual([], self.nodes[source].missing(port_ids))
        destination = self.host_of(server['id'])
        self._bring_back(source, service['id'])
        # Back, the node removes the evacuated server from itself only.
        self.assert_node_forgot(port_ids, hosts=[source])
        self._assert_no_domain(source, server['id'])
        self.assertEqual(destination, self.host_of(server['id']))
        self.assert_node_agrees(server['id'])
        self._ssh(server, validation_resources)

    def _compute_service(self, host):
        return self.admin_services_client.list_services(
            host=host, binary='nova-compute')['services'][0]

    def _stop_compute(self, host):
        self.node_action(host, 'stop-compute')
        self._stopped.add(host)

    def _bring_back(self, host, service_id):
        """Start a node's nova-compute again and lift its forced down.

        Nova lifts forced_down only once the restarted service has
        completed the evacuations from it (init_host): until then it
        answers 400, as it does to an operator who is too quick.
        """
        if host in self._stopped:
            self.node_action(host, 'start-compute')
            self._stopped.discard(host)
        deadline = time.monotonic() + CONF.compute.build_timeout
        while True:
            service = self._compute_service(host)
            if not service['forced_down'] and service['state'] == 'up':
                return
            if service['forced_down']:
                try:
                    self.admin_services_client.update_service(
                        service_id, forced_down=False)
                    continue
                except lib_exc.BadRequest:
                    pass  # its evacuations are not completed yet
            if time.monotonic() > deadline:
                self.fail('%s: nova-compute not up again: %s' % (
                    host, service))
            time.sleep(CONF.compute.build_interval)

    def _assert_no_domain(self, host, server_id):
        domain = self.admin_servers_client.show_server(server_id)[
            'server']['OS-EXT-SRV-ATTR:instance_name']
        deadline = time.monotonic() + CONF.compute.build_timeout
        while (self.nodes[host].interfaces(domain) is not None and
               time.monotonic() < deadline):
            time.sleep(CONF.compute.build_interval)
        self.assertIsNone(self.nodes[host].interfaces(domain),
                          'domain %s is still on %s' % (domain, host))
