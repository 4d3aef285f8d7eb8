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
libvirt domain XML), and compared with what Neutron and Nova say, as the
node's vRouter has them (``KERNEL`` or ``DPDK``):

=======================  ============================  ==================
                         kernel vRouter                DPDK vRouter
=======================  ============================  ==================
Neutron's binding        ``vrouter``                   ``vhostuser``: the
                                                       socket, QEMU its
                                                       server, the
                                                       vRouter's plug
agent and port file      device ``("tap" + port        the same, and
                         id)[:14]``, MAC, first IPv4,  ``vhostuser-mode``
                         display name, instance,       1 (the vRouter
                         network                       connects)
domain interface         ``ethernet``, that tap        ``vhostuser``, the
                                                       socket in server
                                                       mode
on the node              (the tap is libvirt's)        the socket, QEMU's
=======================  ============================  ==================

- ``expected(port, server, datapath)``: the agent's fields;
- ``Node.registration(port_id)``, ``Node.port_file(port_id)``,
  ``Node.interfaces(domain)``, ``Node.socket_owner(port_id)``,
  ``Node.domains(prefix)``: what the node has;
- ``Node.disagreements(...)``: every difference, as sentences, so that a
  failing test says all that is wrong at once;
- ``load(path)``: the cloud's nodes, by Nova host name, from the file
  the cloud writes (``etc/nodes.json``), and the command that stops or
  starts a node's services.
"""

import collections
import json
import os
import pwd
import stat
import subprocess
import urllib.error
import urllib.request
from xml.etree import ElementTree

NOT_REGISTERED = 'not registered'
KERNEL = 'kernel'
DPDK = 'dpdk'
# The controller's socket directory for DPDK ports, as Nova sees it.
VHOSTUSER_SOCKET_DIR = '/var/run/vrouter'
# The agent's vhostuser-mode when QEMU serves the socket.
QEMU_SERVES = 1
# The user QEMU runs as (Debian's libvirt): it creates the sockets.
QEMU_USER = 'libvirt-qemu'

# One interface of a domain: its type, target device, MAC and, for a
# vhost-user one, its source (type, path, mode).
Interface = collections.namedtuple('Interface', 'kind dev mac source')


def device_name(port_id):
    """Nova's host device name of a port."""
    return ('tap' + port_id)[:14]


def _first_ipv4(port):
    for fixed in port.get('fixed_ips', []):
        if ':' not in fixed['ip_address']:
            return fixed['ip_address']
    return '0.0.0.0'


def vhostuser_socket(port_id):
    """A DPDK port's socket, after its device name."""
    return '%s/uvh_vif_%s' % (VHOSTUSER_SOCKET_DIR, device_name(port_id))


def expected(port, server, datapath=KERNEL):
    """The agent's registration fields a port of a server must have."""
    fields = {
        'id': port['id'],
        'instance-id': server['id'],
        'vn-id': port['network_id'],
        'mac-address': port['mac_address'],
        'ip-address': _first_ipv4(port),
        'display-name': server['name'],
        'system-name': device_name(port['id']),
        'type': 0,
    }
    if datapath == DPDK:
        fields['vhostuser-mode'] = QEMU_SERVES
    return fields


def expected_binding(port_id, datapath):
    """(binding:vif_type, the binding:vif_details that matter)."""
    if datapath == DPDK:
        return 'vhostuser', {'vhostuser_mode': 'server',
                             'vhostuser_socket': vhostuser_socket(port_id),
                             'vhostuser_vrouter_plug': True}
    return 'vrouter', {}


def expected_interface(port, datapath):
    """The domain's Interface of a port."""
    if datapath == DPDK:
        # NOTE: libvirt keeps or drops a vhostuser interface's target
        # name depending on its version; the socket names the port.
        return Interface('vhostuser', None, port['mac_address'],
                         ('unix', vhostuser_socket(port['id']), 'server'))
    return Interface('ethernet', device_name(port['id']),
                     port['mac_address'], None)


def load(path):
    """({host: Node}, node command) from the cloud's nodes file."""
    with open(path) as f:
        described = json.load(f)
    nodes = dict((entry['host'], Node(
        entry['agent_url'], entry['port_dir'], entry['libvirt_uri'],
        entry['host'], datapath=entry.get('datapath', KERNEL),
        zone=entry.get('zone'),
        socket_dir=entry.get('vhostuser_socket_dir')))
        for entry in described['nodes'])
    return nodes, described['node_command']


class Node(object):
    """One vRouter compute node.

    :param agent_url: the agent's REST port API
    :param port_dir: the agent's port files
    :param libvirt_uri: the node's libvirt
    :param host: its host name in Nova
    :param datapath: its vRouter, KERNEL or DPDK
    :param zone: its availability zone
    :param socket_dir: where the host sees the node's vhost-user sockets
        (a DPDK node's VHOSTUSER_SOCKET_DIR)
    """

    def __init__(self, agent_url, port_dir, libvirt_uri, host=None,
                 datapath=KERNEL, zone=None, socket_dir=None):
        self.agent_url = agent_url.rstrip('/')
        self.port_dir = port_dir
        self.libvirt_uri = libvirt_uri
        self.host = host
        self.datapath = datapath
        self.zone = zone
        self.socket_dir = socket_dir

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

    def domains(self, prefix=''):
        """The names of the node's domains (running or not) starting with
        prefix.
        """
        result = subprocess.run(
            ['virsh', '-q', '-c', self.libvirt_uri, 'list', '--all',
             '--name'], capture_output=True, text=True, check=True)
        return sorted(name for name in result.stdout.split()
                      if name.startswith(prefix))

    def domain_xml(self, domain):
        result = subprocess.run(
            ['virsh', '-c', self.libvirt_uri, 'dumpxml', domain],
            capture_output=True, text=True, check=False)
        if result.returncode != 0:
            return None
        return result.stdout

    def interfaces(self, domain):
        """A domain's interfaces, [Interface]; None if there is no such
        domain.
        """
        xml = self.domain_xml(domain)
        if xml is None:
            return None
        found = []
        for iface in ElementTree.fromstring(xml).iter('interface'):
            kind = iface.get('type')
            target = iface.find('target')
            mac = iface.find('mac')
            source = iface.find('source')
            found.append(Interface(
                kind,
                target.get('dev') if (target is not None and
                                      kind != 'vhostuser') else None,
                mac.get('address') if mac is not None else None,
                (source.get('type'), source.get('path'), source.get('mode'))
                if (source is not None and kind == 'vhostuser') else None))
        return found

    def _socket_path(self, port_id):
        return os.path.join(self.socket_dir,
                            os.path.basename(vhostuser_socket(port_id)))

    def socket_owner(self, port_id):
        """The owner of a DPDK port's socket on the node; None if there is
        none; '' if that path is not a socket.
        """
        try:
            st = os.stat(self._socket_path(port_id))
        except FileNotFoundError:
            return None
        if not stat.S_ISSOCK(st.st_mode):
            return ''
        try:
            return pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            return str(st.st_uid)

    def sockets(self):
        """The names of the vhost-user sockets on the node (DPDK)."""
        if self.socket_dir is None:
            return set()
        return set(os.listdir(self.socket_dir))

    def disagreements(self, server, ports, domain):
        """What differs between an active server's ports and the node.

        Neutron's ports against the agent, the port files, the domain
        and, on a DPDK node, the sockets; [] if they agree.

        :param server: the server (Nova's view)
        :param ports: its Neutron ports
        :param domain: its libvirt domain name
        """
        problems = []
        interfaces = self.interfaces(domain)
        if interfaces is None:
            return ['no domain %s for server %s' % (domain, server['id'])]
        have = sorted(interfaces, key=repr)
        wanted = sorted((expected_interface(p, self.datapath) for p in ports),
                        key=repr)
        if have != wanted:
            problems.append('domain %s has interfaces %s, the ports on a %s '
                            'node ask for %s' % (domain, have, self.datapath,
                                                 wanted))
        for port in ports:
            problems += self._binding_disagreements(port)
            problems += self._agent_disagreements(port, server)
            if self.datapath == DPDK:
                owner = self.socket_owner(port['id'])
                if owner != QEMU_USER:
                    problems.append(
                        'port %s: the socket %s is %s, not served by QEMU '
                        '(%s)' % (port['id'], self._socket_path(port['id']),
                                  'missing' if owner is None else
                                  'not a socket' if owner == '' else
                                  'owned by ' + owner, QEMU_USER))
        return problems

    def _binding_disagreements(self, port):
        vif_type, details = expected_binding(port['id'], self.datapath)
        problems = []
        if port.get('binding:vif_type') != vif_type:
            problems.append('port %s is bound %s, not %s' % (
                port['id'], port.get('binding:vif_type'), vif_type))
        bound = port.get('binding:vif_details') or {}
        for key, value in sorted(details.items()):
            if bound.get(key) != value:
                problems.append('port %s: binding:vif_details has %s=%r, '
                                'expected %r' % (port['id'], key,
                                                 bound.get(key), value))
        return problems

    def _agent_disagreements(self, port, server):
        problems = []
        want = expected(port, server, self.datapath)
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
                            'registration %r' % (port['id'], on_disk, have))
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
            if (self.datapath == DPDK and
                    self.socket_owner(port_id) is not None):
                problems.append('port %s still has its socket on %s' % (
                    port_id, self.host))
        return problems
