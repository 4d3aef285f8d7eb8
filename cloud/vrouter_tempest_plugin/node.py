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

"""What each vRouter node has for a port: agent, port file, domain.

The three places a port of a server lives on a vRouter compute node, read
directly (the node agent's REST port API, its port directory, the node's
libvirt domain XML), and compared with what Neutron and Nova say:

- ``expected(port, server)``: what the agent must hold for a Neutron port
  of a server (device name ``("tap" + port id)[:14]``, MAC, first IPv4,
  the server's display name, instance, network);
- ``Node.registration(port_id)``, ``Node.port_file(port_id)``,
  ``Node.interfaces(domain)``: what the node has;
- ``Node.disagreements(...)``: every difference, as sentences, so that a
  failing test says all that is wrong at once;
- ``load(path)``: the cloud's nodes, by Nova host name, from the file
  the cloud writes (``etc/nodes.json``), and the command that stops or
  starts a node's services.
"""

import json
import os
import subprocess
import urllib.error
import urllib.request
from xml.etree import ElementTree

NOT_REGISTERED = 'not registered'


def device_name(port_id):
    """Nova's host device name of a port."""
    return ('tap' + port_id)[:14]


def _first_ipv4(port):
    for fixed in port.get('fixed_ips', []):
        if ':' not in fixed['ip_address']:
            return fixed['ip_address']
    return '0.0.0.0'


def expected(port, server):
    """The agent's registration fields a port of a server must have."""
    return {
        'id': port['id'],
        'instance-id': server['id'],
        'vn-id': port['network_id'],
        'mac-address': port['mac_address'],
        'ip-address': _first_ipv4(port),
        'display-name': server['name'],
        'system-name': device_name(port['id']),
        'type': 0,
    }


def load(path):
    """({host: Node}, node command) from the cloud's nodes file."""
    with open(path) as f:
        described = json.load(f)
    nodes = dict((entry['host'], Node(entry['agent_url'], entry['port_dir'],
                                      entry['libvirt_uri'], entry['host']))
                 for entry in described['nodes'])
    return nodes, described['node_command']


class Node(object):
    """One vRouter compute node.

    :param agent_url: the agent's REST port API
    :param port_dir: the agent's port files
    :param libvirt_uri: the node's libvirt
    :param host: its host name in Nova
    """

    def __init__(self, agent_url, port_dir, libvirt_uri, host=None):
        self.agent_url = agent_url.rstrip('/')
        self.port_dir = port_dir
        self.libvirt_uri = libvirt_uri
        self.host = host

    def registration(self, port_id):
        """The agent's JSON for a port, or None (404: not registered)."""
        try:
            with urllib.request.urlopen(
                    '%s/port/%s' % (self.agent_url, port_id),
                    timeout=10) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def port_file(self, port_id):
        """The port file's JSON, or None if there is no file."""
        try:
            with open(os.path.join(self.port_dir, port_id)) as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def port_files(self):
        return set(name for name in os.listdir(self.port_dir)
                   if not name.startswith('.'))

    def domain_xml(self, domain):
        result = subprocess.run(
            ['virsh', '-c', self.libvirt_uri, 'dumpxml', domain],
            capture_output=True, text=True, check=False)
        if result.returncode != 0:
            return None
        return result.stdout

    def interfaces(self, domain):
        """A domain's interfaces, [(type, target dev, MAC)].

        None if the domain does not exist.
        """
        xml = self.domain_xml(domain)
        if xml is None:
            return None
        found = []
        for iface in ElementTree.fromstring(xml).iter('interface'):
            target = iface.find('target')
            mac = iface.find('mac')
            found.append((iface.get('type'),
                          target.get('dev') if target is not None else None,
                          mac.get('address') if mac is not None else None))
        return found

    def disagreements(self, server, ports, domain):
        """What differs between an active server's ports and the node.

        Neutron's ports against the agent, the port files and the domain;
        [] if they agree.

        :param server: the server (Nova's view)
        :param ports: its Neutron ports
        :param domain: its libvirt domain name
        """
        problems = []
        interfaces = self.interfaces(domain)
        if interfaces is None:
            return ['no domain %s for server %s' % (domain, server['id'])]
        ethernet = sorted((dev, mac) for kind, dev, mac in interfaces
                          if kind == 'ethernet')
        others = [i for i in interfaces if i[0] != 'ethernet']
        if others:
            problems.append('domain %s has non-ethernet interfaces %s' % (
                domain, others))
        wanted = sorted((device_name(p['id']), p['mac_address'])
                        for p in ports)
        if ethernet != wanted:
            problems.append('domain %s has ethernet interfaces %s, the '
                            'ports ask for %s' % (domain, ethernet, wanted))
        for port in ports:
            want = expected(port, server)
            if port.get('binding:vif_type') != 'vrouter':
                problems.append('port %s is bound %s, not vrouter' % (
                    port['id'], port.get('binding:vif_type')))
            have = self.registration(port['id'])
            if have is None:
                problems.append('port %s: %s at the agent' % (
                    port['id'], NOT_REGISTERED))
            else:
                for key, value in sorted(want.items()):
                    if have.get(key) != value:
                        problems.append(
                            'port %s: the agent has %s=%r, expected %r' % (
                                port['id'], key, have.get(key), value))
            on_disk = self.port_file(port['id'])
            if on_disk is None:
                problems.append('port %s: no port file' % port['id'])
            elif have is not None and on_disk != have:
                problems.append('port %s: the port file %r differs from the '
                                'registration %r' % (port['id'], on_disk,
                                                     have))
        return problems

    def missing(self, port_ids):
        """Ports of this list the node lacks (registration or file)."""
        problems = []
        for port_id in port_ids:
            if self.registration(port_id) is None:
                problems.append('port %s is not registered at %s' % (
                    port_id, self.host))
            if self.port_file(port_id) is None:
                problems.append('port %s has no port file on %s' % (
                    port_id, self.host))
        return problems

    def leftovers(self, port_ids):
        """Ports of this list the node still has (registration or file)."""
        problems = []
        for port_id in port_ids:
            if self.registration(port_id) is not None:
                problems.append('port %s is still registered at %s' % (
                    port_id, self.host))
            if self.port_file(port_id) is not None:
                problems.append('port %s still has a port file on %s' % (
                    port_id, self.host))
        return problems
