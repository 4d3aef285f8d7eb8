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

"""Our tempest plugin's view of a node (vrouter_tempest_plugin.node)
without a cloud: a domain's XML as libvirt gives it, the agent's answers
and the port files faked, the sockets real files in a temporary
directory.  What it must find on a kernel and on a DPDK node, and what
it must say when something is off."""

import json
import os
import socket
from unittest import mock

import fixtures
import testtools

from vrouter_tempest_plugin import node as vrouter_node

PORT = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'
TAP = 'tap0f1e2d3c-4b'
SOCKET = '/var/run/vrouter/uvh_vif_' + TAP
MAC = 'fa:16:3e:4c:2c:30'
SERVER = {'id': '7e6f5a4b-3c2d-4a1b-8c9d-0e1f2a3b4c5d', 'name': 'web 1'}
NEUTRON_PORT = {'id': PORT, 'network_id': '5c6d7e8f-0a1b-4c2d-8e3f-4a5b',
                'mac_address': MAC,
                'fixed_ips': [{'ip_address': '10.199.0.5'}]}

ETHERNET_XML = """<domain type='qemu'><devices>
  <interface type='ethernet'>
    <mac address='%s'/><target dev='%s'/><model type='virtio'/>
  </interface>
</devices></domain>""" % (MAC, TAP)
VHOSTUSER_XML = """<domain type='qemu'><devices>
  <interface type='vhostuser'>
    <mac address='%s'/>
    <source type='unix' path='%s' mode='%%s'/>
    <target dev='%s'/>
    <model type='virtio'/>
  </interface>
</devices></domain>""" % (MAC, SOCKET, TAP)


class NodeViewTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.port_dir = self.useFixture(fixtures.TempDir()).path
        self.socket_dir = self.useFixture(fixtures.TempDir()).path
        self.xml = None
        self.registered = None
        self.useFixture(fixtures.MockPatchObject(
            vrouter_node.Node, 'domain_xml', lambda _, domain: self.xml))
        self.useFixture(fixtures.MockPatchObject(
            vrouter_node.Node, 'registration',
            lambda _, port_id: self.registered))
        # Whoever owns a file here, it is QEMU's user.
        self.useFixture(fixtures.MockPatch(
            'pwd.getpwuid', return_value=mock.Mock(pw_name='libvirt-qemu')))

    def _node(self, datapath):
        return vrouter_node.Node(
            'http://10.198.0.13:9091', self.port_dir, 'qemu:///system',
            'vrcloud-node3', datapath=datapath, zone='dpdk',
            socket_dir=self.socket_dir)

    def _register(self, datapath, **changes):
        self.registered = dict(vrouter_node.expected(
            NEUTRON_PORT, SERVER, datapath), **changes)
        with open(os.path.join(self.port_dir, PORT), 'w') as f:
            json.dump(self.registered, f)

    def _serve_socket(self):
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(server.close)
        server.bind(os.path.join(self.socket_dir, 'uvh_vif_' + TAP))

    def _port(self, vif_type, **details):
        return dict(NEUTRON_PORT, **{'binding:vif_type': vif_type,
                                     'binding:vif_details': details})

    def _dpdk_port(self):
        return self._port('vhostuser', vhostuser_mode='server',
                          vhostuser_socket=SOCKET,
                          vhostuser_vrouter_plug=True)

    def test_kernel_node_agrees(self):
        self.xml = ETHERNET_XML
        self._register(vrouter_node.KERNEL)
        self.assertEqual([], self._node(vrouter_node.KERNEL).disagreements(
            SERVER, [self._port('vrouter', port_filter=True)], 'd'))
        self.assertNotIn('vhostuser-mode', self.registered)

    def test_dpdk_node_agrees(self):
        self.xml = VHOSTUSER_XML % 'server'
        self._register(vrouter_node.DPDK)
        self._serve_socket()
        self.assertEqual(1, self.registered['vhostuser-mode'])
        self.assertEqual([], self._node(vrouter_node.DPDK).disagreements(
            SERVER, [self._dpdk_port()], 'd'))

    def test_dpdk_node_interfaces(self):
        self.xml = VHOSTUSER_XML % 'server'
        self.assertEqual(
            [vrouter_node.Interface('vhostuser', None, MAC,
                                    ('unix', SOCKET, 'server'))],
            self._node(vrouter_node.DPDK).interfaces('d'))

    def test_dpdk_node_says_everything_that_is_off(self):
        # QEMU the client, the agent told nothing of vhost-user, no
        # socket, bound as on a kernel node.
        self.xml = VHOSTUSER_XML % 'client'
        self._register(vrouter_node.KERNEL)
        problems = self._node(vrouter_node.DPDK).disagreements(
            SERVER, [self._port('vrouter')], 'd')
        self.assertEqual(7, len(problems), problems)
        self.assertIn("'client'", problems[0])
        self.assertEqual('port %s is bound vrouter, not vhostuser' % PORT,
                         problems[1])
        self.assertIn('vhostuser_socket=None, expected %r' % SOCKET,
                      problems[3])
        self.assertEqual(
            'port %s: the agent has vhostuser-mode=None, expected 1' % PORT,
            problems[5])
        self.assertIn('socket %s/uvh_vif_%s is missing' % (
            self.socket_dir, TAP), problems[6])

    def test_a_kernel_interface_on_a_dpdk_node_disagrees(self):
        self.xml = ETHERNET_XML
        self._register(vrouter_node.DPDK)
        self._serve_socket()
        problems = self._node(vrouter_node.DPDK).disagreements(
            SERVER, [self._dpdk_port()], 'd')
        self.assertEqual(1, len(problems), problems)
        self.assertIn("on a dpdk node ask for [Interface(kind='vhostuser'",
                      problems[0])

    def test_a_socket_not_qemu_s(self):
        self.xml = VHOSTUSER_XML % 'server'
        self._register(vrouter_node.DPDK)
        with open(os.path.join(self.socket_dir, 'uvh_vif_' + TAP), 'w'):
            pass
        problems = self._node(vrouter_node.DPDK).disagreements(
            SERVER, [self._dpdk_port()], 'd')
        self.assertEqual(['port %s: the socket %s/uvh_vif_%s is not a '
                          'socket, not served by QEMU (libvirt-qemu)' % (
                              PORT, self.socket_dir, TAP)], problems)

    def test_a_forgotten_dpdk_port_leaves_no_socket(self):
        self._serve_socket()
        self.assertEqual(
            ['port %s still has its socket on vrcloud-node3' % PORT],
            self._node(vrouter_node.DPDK).leftovers([PORT]))
        self.assertEqual([], self._node(vrouter_node.KERNEL).leftovers(
            [PORT]))
        self.assertEqual({'uvh_vif_' + TAP},
                         self._node(vrouter_node.DPDK).sockets())

    def test_nodes_file(self):
        path = os.path.join(self.port_dir, 'nodes.json')
        with open(path, 'w') as f:
            json.dump({'nodes': [
                {'host': 'vrcloud-node1', 'agent_url': 'http://a:9091',
                 'port_dir': '/p1', 'libvirt_uri': 'qemu:///system'},
                {'host': 'vrcloud-node2', 'agent_url': 'http://b:9091',
                 'port_dir': '/p2', 'libvirt_uri': 'qemu:///system',
                 'datapath': 'dpdk', 'zone': 'dpdk',
                 'vhostuser_socket_dir': '/s2'}],
                'node_command': ['x']}, f)
        nodes, command = vrouter_node.load(path)
        # A nodes file from before DPDK nodes: kernel ones.
        self.assertEqual(('kernel', None, None),
                         (nodes['vrcloud-node1'].datapath,
                          nodes['vrcloud-node1'].zone,
                          nodes['vrcloud-node1'].socket_dir))
        self.assertEqual(('dpdk', 'dpdk', '/s2'),
                         (nodes['vrcloud-node2'].datapath,
                          nodes['vrcloud-node2'].zone,
                          nodes['vrcloud-node2'].socket_dir))

    def test_socket_path_is_the_cloud_s_binding(self):
        # The plugin knows the controller's naming; the cloud's ML2
        # driver binds with it (vrouter_cloud.layout).
        from vrouter_cloud import layout as cloud_layout
        self.assertEqual(cloud_layout.vhostuser_socket(TAP),
                         vrouter_node.vhostuser_socket(PORT))
