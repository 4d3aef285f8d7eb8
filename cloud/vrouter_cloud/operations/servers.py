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

"""Servers of the job: booted on a chosen node, waited for, removed.

Each server gets a port made beforehand on the cloud's shared network
(its id is known before Nova plugs it: a scenario can wait for its port
file) and is booted on the node it names (``availability_zone
nova:<host>``, admin only): a boot that fails there is not rescheduled to
the other node (Nova does not retry a forced host), so it ends in ERROR
with its own fault.
"""

import collections
import time

import openstack

from vrouter_cloud import bootstrap
from vrouter_cloud.operations import waits

Booted = collections.namedtuple('Booted', 'id name port_id host address')
Booted.__doc__ = """A server the job booted: its port and the node it was
sent to; address is its fixed IPv4 address."""

# Settled: nothing more happens to the server by itself.
FINAL = ('ACTIVE', 'ERROR', 'SHUTOFF')
POLL = 1.0


def as_api(server):
    """The fields of Nova's API JSON the nodes' checks read."""
    return {'id': server.id, 'name': server.name, 'status': server.status,
            'OS-EXT-SRV-ATTR:host': server.compute_host,
            'OS-EXT-SRV-ATTR:instance_name': server.instance_name,
            'OS-EXT-STS:task_state': server.task_state}


class Servers(object):
    """Boot, wait for and delete the job's servers.

    :param conn: an admin openstack connection to the cloud
    """

    def __init__(self, conn):
        self.conn = conn
        self.network = conn.network.find_network(bootstrap.SHARED_NETWORK,
                                                 ignore_missing=False)
        self.flavor = conn.compute.find_flavor(bootstrap.FLAVOR,
                                               ignore_missing=False)
        self.image = conn.image.find_image(bootstrap.IMAGE,
                                           ignore_missing=False)
        # The job boots more servers than a project may have by default
        # (10): no limit for its project.
        conn.set_compute_quotas(conn.current_project_id, instances=-1,
                                cores=-1, ram=-1)

    def boot(self, name, host):
        """Ask for a server on host; a Booted (the server is building)."""
        port = self.conn.network.create_port(network_id=self.network.id,
                                             name=name)
        try:
            server = self.conn.compute.create_server(
                name=name, flavor_id=self.flavor.id, image_id=self.image.id,
                networks=[{'port': port.id}],
                availability_zone='nova:%s' % host)
        except openstack.exceptions.SDKException:
            self.conn.network.delete_port(port.id, ignore_missing=True)
            raise
        address = next(ip['ip_address'] for ip in port.fixed_ips
                       if ':' not in ip['ip_address'])
        return Booted(server.id, name, port.id, host, address)

    def get(self, server_id):
        return self.conn.compute.get_server(server_id)

    def wait(self, server_ids, timeout, settled=FINAL):
        """{id: server} once each is in a settled state and no task runs.

        :raises: waits.TimedOut naming those that are not
        """
        deadline = time.monotonic() + timeout
        pending = set(server_ids)
        done = {}
        while pending:
            for server_id in sorted(pending):
                server = self.get(server_id)
                if server.status in settled and server.task_state is None:
                    done[server_id] = server
                    pending.discard(server_id)
            if not pending:
                break
            if time.monotonic() > deadline:
                raise waits.TimedOut('servers not settled after %d s: %s' % (
                    timeout, ', '.join(sorted(pending))))
            time.sleep(POLL)
        return done

    def fault(self, server_id, timeout=30):
        """The fault message of a server in ERROR ('' if it has none).

        The conductor saves the ERROR state before the fault: read again
        for a while.
        """
        deadline = time.monotonic() + timeout
        while True:
            server = self.get(server_id)
            if server.fault or time.monotonic() > deadline:
                return (server.fault or {}).get('message', '')
            time.sleep(POLL)

    def delete(self, booted, timeout=300):
        """Delete servers and their ports; wait until they are gone.

        :raises: openstack.exceptions.ResourceTimeout when one stays
        """
        for server in booted:
            self.conn.compute.delete_server(server.id, ignore_missing=True)
        for server in booted:
            try:
                self.conn.compute.wait_for_delete(self.get(server.id),
                                                  wait=timeout)
            except openstack.exceptions.NotFoundException:
                pass  # gone already
            # Made beforehand: Nova leaves it.
            self.conn.network.delete_port(server.port_id,
                                          ignore_missing=True)

    def state(self):
        """(servers, ports) as the nodes' checks read them."""
        servers = [as_api(s) for s in self.conn.compute.servers(
            all_projects=True)]
        ports = [{'id': p.id, 'device_id': p.device_id}
                 for p in self.conn.network.ports()]
        return servers, ports
