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

"""What the job checks on the nodes after each scenario.

- the nodes against Nova and Neutron: our tempest plugin's node reader
  and agreement check (``vrouter_tempest_plugin``), every port Neutron
  has, every port file and every port the agents' logs name, and each
  node's libvirt domains against the servers it hosts;
- ``vrouter-port-audit`` (without ``--repair``, ``--json``) run inside
  each node (its namespaces: its libvirtd, its agent on loopback, its
  port directory as its services see it), as an operator runs it there;
- the agents' request logs: which ports got a DELETE, which were
  registered (an add, or a replay of its file at start), which files
  the replay skipped and why.

The audit's ``agent-exposed`` finding is not drift: the cloud's agents
listen on every address of their node, as the real agent does, because
the host reads them over the management network (the tempest plugin,
this job).  A node's firewall rule would keep other hosts away (the
troubleshooting guide's advice), but the audit reads the socket table,
not the firewall, so it would still report it; the job reports it apart
and counts only the other kinds as drift.
"""

import json
import os
import re

from vrouter_tempest_plugin import node as vrouter_node

AGENT_EXPOSED = 'agent-exposed'

_REQUEST = re.compile(r' agent (POST|DELETE|GET|PUT) '
                      r'/port(?:/([0-9a-f-]{36}))? -> (\d+)$')
_REGISTERED = re.compile(r' agent registered ([0-9a-f-]{36})$')
_REPLAY_SKIPPED = re.compile(r' agent replay skipped ([0-9a-f-]{36}): (.*)$')


def parse_audit(text):
    """(drift, exposure): vrouter-port-audit --json's findings, the agent's
    exposure apart.

    :raises: ValueError when text is not the audit's JSON
    """
    findings = json.loads(text)['findings']
    drift = [f for f in findings if f['kind'] != AGENT_EXPOSED]
    exposed = [f for f in findings if f['kind'] == AGENT_EXPOSED]
    return drift, exposed


def agent_requests(lines):
    """[(method, port id or None, status)] of the agent's log lines."""
    requests = []
    for line in lines:
        match = _REQUEST.search(line.rstrip('\n'))
        if match:
            requests.append((match.group(1), match.group(2),
                             int(match.group(3))))
    return requests


def registered_ports(lines):
    """The ports the agent's log lines say it registered, in order."""
    ports = []
    for line in lines:
        match = _REGISTERED.search(line.rstrip('\n'))
        if match:
            ports.append(match.group(1))
    return ports


def replay_skipped(lines):
    """{port id: why} of the port files the agent's replay skipped."""
    skipped = {}
    for line in lines:
        match = _REPLAY_SKIPPED.search(line.rstrip('\n'))
        if match:
            skipped[match.group(1)] = match.group(2)
    return skipped


class LogCursor(object):
    """The lines a log got since a moment (``mark``)."""

    def __init__(self, path):
        self.path = path
        self.offset = self._size()

    def _size(self):
        try:
            return os.path.getsize(self.path)
        except FileNotFoundError:
            return 0

    def mark(self):
        self.offset = self._size()

    def lines(self):
        try:
            with open(self.path, errors='replace') as f:
                f.seek(self.offset)
                return f.readlines()
        except FileNotFoundError:
            return []


def node_reader(node):
    """The tempest plugin's reader of a cloud Node, as its services see it.

    The port directory is read through the node's root
    (``/proc/<pid>/root``): a file system mounted in the node's mount
    namespace (the full-disk scenario's) is seen as the node sees it.  A
    DPDK node's reader has its vhost-user sockets too (the agreement
    counts stale ones).
    """
    root = '/proc/%d/root' % node.namespaces_pid()
    return vrouter_node.Node(node.layout.agent_url,
                             root + node.layout.port_dir,
                             node.layout.libvirt_uri, node.name,
                             datapath=node.DATAPATH, zone=node.ZONE,
                             socket_dir=node.vhostuser_socket_dir)


def audit(node, bin_dir):
    """(drift, exposure, exit status) of vrouter-port-audit on a node.

    :param bin_dir: where vrouter-port-audit is (a virtualenv's bin)
    """
    result = node.run([os.path.join(bin_dir, 'vrouter-port-audit'),
                       '--config-file', node.layout.nova_conf, '--json'],
                      capture_output=True, text=True, check=False,
                      timeout=120)
    try:
        drift, exposed = parse_audit(result.stdout)
    except (ValueError, KeyError):
        drift = [{'kind': 'audit-failed', 'port_id': None,
                  'detail': 'exit %d: %s' % (
                      result.returncode, result.stderr.strip()[-500:])}]
        exposed = []
    return drift, exposed, result.returncode
