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

"""End of a run: the node has exactly the ports of the servers that exist.

    python -m vrouter_tempest_plugin.agreement --config-file TEMPEST_CONF
        [--agent-log LOG]

Asks Neutron for every port, Nova for every server (all projects), and
the agent about every port Neutron has, every port file, and every port
the agent's log says it ever registered: a port must be registered and
have its file if and only if it belongs to a server that has a domain on
the node (not shelved and offloaded, not deleted).  Prints each
difference and exits 1 if there is one.  Tempest runs its tests in
parallel, so this holds only once they are all done: the tempest job runs
it after tempest.
"""

import argparse
import re
import sys

from tempest import clients
from tempest.common import credentials_factory
from tempest import config

from vrouter_tempest_plugin import node as vrouter_node

# Servers without a domain on the node.
_NO_DOMAIN = ('SHELVED_OFFLOADED', 'DELETED', 'SOFT_DELETED')


def _logged_ports(path):
    if not path:
        return set()
    with open(path, errors='replace') as f:
        return set(re.findall(r'registered ([0-9a-f-]{36})', f.read()))


def check(manager, node, agent_log=None):
    """[differences] between the servers' ports and the node."""
    servers = manager.servers_client.list_servers(
        detail=True, all_tenants=True)['servers']
    ports = manager.ports_client.list_ports()['ports']
    live = set(s['id'] for s in servers if s['status'] not in _NO_DOMAIN)
    expected = set(p['id'] for p in ports if p['device_id'] in live)
    known = (set(p['id'] for p in ports) | node.port_files() |
             _logged_ports(agent_log))
    problems = []
    for port_id in sorted(known):
        registered = node.registration(port_id) is not None
        has_file = node.port_file(port_id) is not None
        wanted = port_id in expected
        if registered != wanted:
            problems.append('port %s: %s at the agent' % (
                port_id, 'not registered' if wanted else 'still registered'))
        if has_file != wanted:
            problems.append('port %s: %s' % (
                port_id, 'no port file' if wanted else 'stale port file'))
    return problems, len(expected)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config-file', required=True)
    parser.add_argument('--agent-log')
    args = parser.parse_args(argv)
    # The plugin's [vrouter] options are registered with tempest's own.
    config.CONF.set_config_path(args.config_file)
    manager = clients.Manager(
        credentials_factory.get_configured_admin_credentials())
    conf = config.CONF.vrouter
    node = vrouter_node.Node(conf.agent_url, conf.port_dir, conf.libvirt_uri)
    problems, count = check(manager, node, args.agent_log)
    for problem in problems:
        print('agreement: %s' % problem)
    print('agreement: %d ports of live servers, %d differences' % (
        count, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
