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

"""The nodes against Nova and Neutron: every kind of difference."""

import os

import testtools

from vrouter_tempest_plugin import agreement
from vrouter_tempest_plugin import node as vrouter_node

PORT_A = 'aaaaaaaa-0000-0000-0000-000000000001'
PORT_B = 'bbbbbbbb-0000-0000-0000-000000000002'
PORT_C = 'cccccccc-0000-0000-0000-000000000003'


class FakeNode(object):
    """What node.Node reads, from dicts."""

    def __init__(self, registered=(), files=(), domains=(), sockets=()):
        self.registered = set(registered)
        self.files = set(files)
        self._domains = list(domains)
        self._sockets = set(sockets)

    def registration(self, port_id):
        return {'id': port_id} if port_id in self.registered else None

    def port_file(self, port_id):
        return {'id': port_id} if port_id in self.files else None

    def port_files(self):
        return set(self.files)

    def domains(self, prefix=''):
        return [d for d in self._domains if d.startswith(prefix)]

    def sockets(self):
        return set(self._sockets)


def _server(server_id, host, status='ACTIVE', domain=None):
    return {'id': server_id, 'status': status,
            'OS-EXT-SRV-ATTR:host': host,
            'OS-EXT-SRV-ATTR:instance_name': domain or 'vrc-' + server_id}


def _port(port_id, server_id):
    return {'id': port_id, 'device_id': server_id}


def _socket(port_id):
    return os.path.basename(vrouter_node.vhostuser_socket(port_id))


class CompareTest(testtools.TestCase):

    def test_agreement(self):
        nodes = {'n1': FakeNode([PORT_A], [PORT_A], ['vrc-s1']),
                 'n2': FakeNode([PORT_B], [PORT_B], ['vrc-s2'])}
        differences, count = agreement.compare(
            [_server('s1', 'n1'), _server('s2', 'n2')],
            [_port(PORT_A, 's1'), _port(PORT_B, 's2')], nodes,
            domain_prefix='vrc-')
        self.assertEqual([], differences)
        self.assertEqual(2, count)

    def test_every_kind(self):
        nodes = {
            # s1's port: registered on both nodes, its file on n2 only.
            'n1': FakeNode([PORT_A], [], ['vrc-gone']),
            'n2': FakeNode([PORT_A, PORT_C], [PORT_A], ['vrc-s2']),
        }
        servers = [_server('s1', 'n1'), _server('s2', 'n2')]
        ports = [_port(PORT_A, 's1'), _port(PORT_B, 's2')]
        differences, _ = agreement.compare(
            servers, ports, nodes, logged_ports=[PORT_C],
            domain_prefix='vrc-')
        self.assertEqual([
            'port %s: no port file on n1' % PORT_A,
            'port %s: still registered at the agent of n2' % PORT_A,
            'port %s: stale port file on n2' % PORT_A,
            'port %s: registered at the agents of n1, n2' % PORT_A,
            'port %s: not registered at the agent of n2' % PORT_B,
            'port %s: no port file on n2' % PORT_B,
            # Known from the agent's log only.
            'port %s: still registered at the agent of n2' % PORT_C,
            'server s1: no domain on n1',
            'domain vrc-gone on n1: no server of that node has it',
        ], [str(d) for d in differences])
        self.assertEqual(
            [agreement.MISSING_FILE, agreement.STALE_REGISTRATION,
             agreement.STALE_FILE, agreement.DUPLICATE_REGISTRATION,
             agreement.LOST_REGISTRATION, agreement.MISSING_FILE,
             agreement.STALE_REGISTRATION, agreement.MISSING_DOMAIN,
             agreement.STALE_DOMAIN],
            [d.kind for d in differences])

    def test_servers_without_a_domain(self):
        # Shelved and offloaded: nothing anywhere.  In ERROR after a boot
        # cut short: its port may stay where Nova says it is, its domain
        # may or may not exist.
        nodes = {'n1': FakeNode([PORT_B], [PORT_B], [])}
        differences, count = agreement.compare(
            [_server('s1', 'n1', status='SHELVED_OFFLOADED'),
             _server('s2', 'n1', status='ERROR')],
            [_port(PORT_A, 's1'), _port(PORT_B, 's2')], nodes,
            domain_prefix='vrc-')
        self.assertEqual([], differences)
        self.assertEqual(1, count)

    def test_domains_only_when_asked(self):
        nodes = {'n1': FakeNode([], [], ['vrc-gone'])}
        self.assertEqual(([], 0), agreement.compare([], [], nodes))

    def test_a_dpdk_node_s_sockets(self):
        # s1's port has its socket on n1; a deleted server's port left
        # its socket behind; s2's port is on n2, not n1.
        sockets = [_socket(PORT_A), _socket(PORT_B), _socket(PORT_C)]
        nodes = {'n1': FakeNode([PORT_A], [PORT_A], sockets=sockets),
                 'n2': FakeNode([PORT_C], [PORT_C])}
        differences, count = agreement.compare(
            [_server('s1', 'n1'), _server('s2', 'n2')],
            [_port(PORT_A, 's1'), _port(PORT_C, 's2')], nodes)
        self.assertEqual([
            'socket %s on n1 belongs to no port of a server there' %
            _socket(PORT_B),
            'socket %s on n1 belongs to no port of a server there' %
            _socket(PORT_C),
        ], [str(d) for d in differences])
        self.assertEqual({agreement.STALE_SOCKET},
                         set(d.kind for d in differences))
        self.assertEqual(2, count)
