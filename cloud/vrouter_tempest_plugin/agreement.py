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
and offloaded, not deleted), and on no other node; a DPDK node has no
vhost-user socket but those of the ports it has.  Prints each
difference and exits 1 if there is one.  Tempest runs its tests in
parallel, so this holds only once they are all done: the tempest job runs
it after tempest.

:func:`compare` is the check itself, on what Nova and Neutron said (the
API's JSON) and the nodes (``node.Node``); with ``domain_prefix`` it also
compares each node's libvirt domains with the servers it hosts.  The
cloud's operations job (``vrouter_cloud.operations``) runs it after each
of its scenarios.
"""

import argparse
import collections
import os
import re
import sys

from vrouter_tempest_plugin import node as vrouter_node

# Servers without a domain on the node.
_NO_DOMAIN = ('SHELVED_OFFLOADED', 'DELETED', 'SOFT_DELETED')
# Servers whose domain may or may not exist: a boot under way, or one
# that failed on the node (Nova keeps the host of a boot cut short by a
# nova-compute restart).
_MAYBE_DOMAIN = ('BUILD', 'ERROR')

# The kinds of differences.
LOST_REGISTRATION = 'lost-registration'
STALE_REGISTRATION = 'stale-registration'
DUPLICATE_REGISTRATION = 'duplicate-registration'
MISSING_FILE = 'missing-file'
STALE_FILE = 'stale-file'
MISSING_DOMAIN = 'missing-domain'
STALE_DOMAIN = 'stale-domain'
STALE_SOCKET = 'stale-socket'
KINDS = (LOST_REGISTRATION, STALE_REGISTRATION, DUPLICATE_REGISTRATION,
         MISSING_FILE, STALE_FILE, MISSING_DOMAIN, STALE_DOMAIN,
         STALE_SOCKET)

_SENTENCES = {
    LOST_REGISTRATION: 'port %s: not registered at the agent of %s',
    STALE_REGISTRATION: 'port %s: still registered at the agent of %s',
    DUPLICATE_REGISTRATION: 'port %s: registered at the agents of %s',
    MISSING_FILE: 'port %s: no port file on %s',
    STALE_FILE: 'port %s: stale port file on %s',
    MISSING_DOMAIN: 'server %s: no domain on %s',
    STALE_DOMAIN: 'domain %s on %s: no server of that node has it',
    STALE_SOCKET: 'socket %s on %s belongs to no port of a server there',
}


class Difference(collections.namedtuple('Difference', 'kind subject host')):
    """One difference: its kind, the port (or server, domain, socket), the
    node (several, comma-separated, for a duplicate registration).
    """

    def __str__(self):
        return _SENTENCES[self.kind] % (self.subject, self.host)


def _logged_ports(path):
    with open(path, errors='replace') as f:
        return set(re.findall(r'registered ([0-9a-f-]{36})', f.read()))


def compare(servers, ports, nodes, logged_ports=(), domain_prefix=None):
    """([Difference], ports of live servers) between Nova and the nodes.

    :param servers: Nova's servers, as the API gives them (all projects)
    :param ports: Neutron's ports, as the API gives them
    :param nodes: {host: node.Node}
    :param logged_ports: other port ids to ask the agents about (those
        their logs say they ever registered)
    :param domain_prefix: compare the nodes' domains whose names start
        with it too (None: not the domains)
    """
    host_of = dict((s['id'], s.get('OS-EXT-SRV-ATTR:host')) for s in servers
                   if s['status'] not in _NO_DOMAIN)
    wanted = dict((p['id'], host_of[p['device_id']]) for p in ports
                  if p['device_id'] in host_of)
    known = set(p['id'] for p in ports) | set(logged_ports)
    for node in nodes.values():
        known |= node.port_files()
    differences = []
    for port_id in sorted(known):
        registered_at = []
        for host, node in sorted(nodes.items()):
            here = wanted.get(port_id) == host
            registered = node.registration(port_id) is not None
            has_file = node.port_file(port_id) is not None
            if registered:
                registered_at.append(host)
            if registered and not here:
                differences.append(Difference(STALE_REGISTRATION, port_id,
                                              host))
            elif here and not registered:
                differences.append(Difference(LOST_REGISTRATION, port_id,
                                              host))
            if has_file and not here:
                differences.append(Difference(STALE_FILE, port_id, host))
            elif here and not has_file:
                differences.append(Difference(MISSING_FILE, port_id, host))
        if len(registered_at) > 1:
            differences.append(Difference(DUPLICATE_REGISTRATION, port_id,
                                          ', '.join(registered_at)))
    differences += _compare_sockets(wanted, nodes)
    if domain_prefix is not None:
        differences += _compare_domains(servers, nodes, domain_prefix)
    return differences, len(wanted)


def _compare_sockets(wanted, nodes):
    """A DPDK node's sockets that no port it has explains (a kernel
    node has none).
    """
    differences = []
    for host, node in sorted(nodes.items()):
        sockets = set(os.path.basename(vrouter_node.vhostuser_socket(p))
                      for p, where in wanted.items() if where == host)
        for name in sorted(node.sockets() - sockets):
            differences.append(Difference(STALE_SOCKET, name, host))
    return differences


def _compare_domains(servers, nodes, prefix):
    differences = []
    for host, node in sorted(nodes.items()):
        hosted = [s for s in servers
                  if s.get('OS-EXT-SRV-ATTR:host') == host and
                  s['status'] not in _NO_DOMAIN]
        names = set(node.domains(prefix))
        for server in hosted:
            name = server.get('OS-EXT-SRV-ATTR:instance_name')
            if name in names:
                names.discard(name)
            elif server['status'] not in _MAYBE_DOMAIN:
                differences.append(Difference(MISSING_DOMAIN, server['id'],
                                              host))
        for name in sorted(names):
            differences.append(Difference(STALE_DOMAIN, name, host))
    return differences


def check(manager, nodes, agent_logs=()):
    """([differences], ports of live servers) between Nova and the nodes.

    :param nodes: {host: Node}
    """
    servers = manager.servers_client.list_servers(
        detail=True, all_tenants=True)['servers']
    ports = manager.ports_client.list_ports()['ports']
    logged = set()
    for path in agent_logs:
        logged |= _logged_ports(path)
    differences, count = compare(servers, ports, nodes, logged)
    return [str(d) for d in differences], count


def main(argv=None):
    # tempest only here: compare() serves callers without tempest's
    # configuration.
    from tempest import clients
    from tempest.common import credentials_factory
    from tempest import config

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
