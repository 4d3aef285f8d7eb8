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

"""End of a run: each node has exactly the ports of the servers it hosts.

    python -m vrouter_tempest_plugin.agreement --config-file TEMPEST_CONF
        [--agent-log LOG ...]

Asks Neutron for every port, Nova for every server (all projects), and
each node's agent about every port Neutron has, every port file of any
node, and every port the agents' logs say they ever registered: a port
must be registered and have its file on a node if and only if it belongs
to a server that has a domain there (hosted by that node, not shelved
and offloaded, not deleted), and on no other node; a DPDK node has
exactly the vhost-user sockets of those ports.  Prints each
difference and exits 1 if there is one.  Tempest runs its tests in
parallel, so this holds only once they are all done: the tempest job runs
it after tempest.
"""

import argparse
import os
import re
import sys

from tempest import clients
from tempest.common import credentials_factory
from tempest import config

from vrouter_tempest_plugin import node as vrouter_node

# Servers without a domain on the node.
_NO_DOMAIN = ('SHELVED_OFFLOADED', 'DELETED', 'SOFT_DELETED')


def _logged_ports(path):
    with open(path, errors='replace') as f:
        return set(re.findall(r'registered ([0-9a-f-]{36})', f.read()))


def check(manager, nodes, agent_logs=()):
    """([differences], ports of live servers) between Nova and the nodes.

    :param nodes: {host: Node}
    """
    servers = manager.servers_client.list_servers(
        detail=True, all_tenants=True)['servers']
    ports = manager.ports_client.list_ports()['ports']
    host_of = dict((s['id'], s.get('OS-EXT-SRV-ATTR:host')) for s in servers
                   if s['status'] not in _NO_DOMAIN)
    wanted = dict((p['id'], host_of[p['device_id']]) for p in ports
                  if p['device_id'] in host_of)
    known = set(p['id'] for p in ports)
    for node in nodes.values():
        known |= node.port_files()
    for path in agent_logs:
        known |= _logged_ports(path)
    problems = []
    for port_id in sorted(known):
        for host, node in sorted(nodes.items()):
            here = wanted.get(port_id) == host
            registered = node.registration(port_id) is not None
            has_file = node.port_file(port_id) is not None
            if registered != here:
                problems.append('port %s: %s at the agent of %s' % (
                    port_id, 'not registered' if here else
                    'still registered', host))
            if has_file != here:
                problems.append('port %s: %s on %s' % (
                    port_id, 'no port file' if here else 'stale port file',
                    host))
    for host, node in sorted(nodes.items()):
        sockets = set(os.path.basename(vrouter_node.vhostuser_socket(p))
                      for p, where in wanted.items() if where == host)
        for name in sorted(node.sockets() - sockets):
            problems.append('socket %s on %s belongs to no port of a '
                            'server there' % (name, host))
    return problems, len(wanted)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config-file', required=True)
    parser.add_argument('--agent-log', action='append', default=[])
    args = parser.parse_args(argv)
    # The plugin's [vrouter] options are registered with tempest's own.
    config.CONF.set_config_path(args.config_file)
    manager = clients.Manager(
        credentials_factory.get_configured_admin_credentials())
    nodes, _ = vrouter_node.load(config.CONF.vrouter.nodes_file)
    problems, count = check(manager, nodes, args.agent_log)
    for problem in problems:
        print('agreement: %s' % problem)
    print('agreement: %d ports of live servers, %d differences' % (
        count, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
