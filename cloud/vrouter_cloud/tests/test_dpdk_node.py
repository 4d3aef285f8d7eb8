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

"""The DPDK node's set-up without a cloud: its files, its mounts (as the
shell commands the node's namespace holder would run), the nodes of each
kind, the controller's resize setting per zone."""

import configparser
import json
import os
import subprocess
from unittest import mock

import fixtures
import testtools

from vrouter_cloud import cloud
from vrouter_cloud import dpdk_node
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import node as cloud_node
from vrouter_cloud import procs
from vrouter_cloud.services import nova
from vrouter_cloud import tempest_conf

QEMU = mock.Mock(pw_uid=64055, pw_gid=994)


def _layout(test):
    top = test.useFixture(fixtures.TempDir()).path
    return cloud_layout.Layout(top, run_dir=os.path.join(top, 'run'))


class PrepareTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.layout = _layout(self)
        # The root's libvirt configuration, as a Debian root has it.
        self.etc = os.path.join(dpdk_node.root(self.layout), 'etc',
                                'libvirt')
        os.makedirs(os.path.join(self.etc, 'qemu'))
        for name, text in (('libvirtd.conf', '#listen_tcp = 1\n'),
                           ('qemu.conf', '#memory_backing_dir = "/x"\n')):
            with open(os.path.join(self.etc, name), 'w') as f:
                f.write(text)
        self.chown = self.useFixture(fixtures.MockPatch('os.chown')).mock
        self.useFixture(fixtures.MockPatch('pwd.getpwnam',
                                           return_value=QEMU))

    def _prepare(self, node):
        node.prepare(mock.Mock())
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(node.layout.nova_conf)
        return conf

    def test_libvirt_configuration_is_the_root_s(self):
        node = dpdk_node.DpdkNode(self.layout, 2)
        self._prepare(node)
        etc = node.layout.libvirt_dir('/etc/libvirt')
        # The files only: the root's own domains stay where they are.
        self.assertEqual(['libvirtd.conf', 'qemu.conf'],
                         sorted(os.listdir(etc)))
        with open(os.path.join(etc, 'qemu.conf')) as f:
            lines = f.read().splitlines()
        self.assertIn('memory_backing_dir = "/var/lib/libvirt/qemu/ram"',
                      lines)
        self.assertIn('namespaces = []', lines)
        with open(node.layout.path('datapath')) as f:
            self.assertEqual('dpdk\n', f.read())

    def test_nova_offers_file_backed_memory(self):
        conf = self._prepare(dpdk_node.DpdkNode(self.layout, 2))
        self.assertEqual('2048', conf['libvirt']['file_backed_memory'])
        # What Nova requires beside it, or it does not start.
        self.assertEqual('1.0', conf['DEFAULT']['ram_allocation_ratio'])
        self.assertEqual('0', conf['DEFAULT']['reserved_host_memory_mb'])
        # The rest as on a kernel node.
        self.assertEqual('qemu:///system',
                         conf['libvirt']['connection_uri'])
        self.assertEqual('vrcloud-node2', conf['DEFAULT']['host'])

    def test_another_nova_keeps_the_node_s_memory(self):
        # nova.conf written again for another virtualenv (Node.use_compute)
        # is still a DPDK node's.
        node = dpdk_node.DpdkNode(self.layout, 2)
        self._prepare(node)
        node.use_compute('/opt/stock')
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(node.layout.nova_conf)
        self.assertEqual('2048', conf['libvirt']['file_backed_memory'])
        self.assertEqual('1.0', conf['DEFAULT']['ram_allocation_ratio'])
        self.assertEqual(
            '/opt/stock/bin/privsep-helper',
            conf['os_vif_vrouter_privileged']['helper_command'].split()[0])

    def test_a_kernel_node_keeps_its_memory_settings(self):
        with mock.patch.object(cloud_node.Node, 'libvirt_config',
                               return_value=self.etc):
            conf = self._prepare(cloud_node.Node(self.layout, 1))
        self.assertNotIn('file_backed_memory', conf['libvirt'])
        self.assertEqual('1.5', conf['DEFAULT']['ram_allocation_ratio'])

    def test_the_socket_directory_is_qemu_s(self):
        node = dpdk_node.DpdkNode(self.layout, 2)
        self._prepare(node)
        self.assertTrue(os.path.isdir(node.layout.vhostuser_dir))
        self.chown.assert_called_once_with(node.layout.vhostuser_dir,
                                           64055, 994)

    def test_the_root_knows_the_node_s_name(self):
        node = dpdk_node.DpdkNode(self.layout, 2)
        self._prepare(node)
        with open(node.layout.path('hosts')) as f:
            self.assertIn('127.0.1.1 vrcloud-node2', f.read())


class MountsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.layout = _layout(self)
        self.node = dpdk_node.DpdkNode(self.layout, 3)
        self.root = dpdk_node.root(self.layout)
        for path in cloud_node.LIBVIRT_DIRS:
            os.makedirs(self.node.layout.libvirt_dir(path))
        for path in (self.node.layout.vhostuser_dir,
                     self.node.layout.instances):
            os.makedirs(path)
        self.mounts = self.node._mounts()

    def _index(self, command):
        self.assertIn(command, self.mounts)
        return self.mounts.index(command)

    def test_a_kernel_node_s_mounts_come_first(self):
        kernel = cloud_node.Node(self.layout, 3)._mounts()
        self.assertEqual(kernel, self.mounts[:len(kernel)])

    def test_memory_tmpfs_is_over_the_node_s_libvirt_state(self):
        bind = self._index('mount --bind %s %s/var/lib/libvirt' % (
            self.node.layout.libvirt_dir('/var/lib/libvirt'), self.root))
        tmpfs = self._index(
            'mount -t tmpfs -o size=2048m,mode=0755 vrcloud-ram '
            '%s/var/lib/libvirt/qemu/ram' % self.root)
        # Mounted before the bind, the tmpfs would be hidden under it and
        # the guests' memory written to the node's directory on disk.
        self.assertLess(bind, tmpfs)
        self.assertLess(self._index('mkdir -p %s/var/lib/libvirt/qemu/ram'
                                    % self.root), tmpfs)

    def test_sockets_are_the_node_s_directory_inside_and_outside(self):
        sockets = self.node.layout.vhostuser_dir
        self._index('mount --bind %s /run/vrouter' % sockets)
        inside = self._index('mount --bind %s %s/run/vrouter' % (
            sockets, self.root))
        # After the root's own /run.
        self.assertLess(self._index(
            'mount -t tmpfs -o mode=755 vrcloud-run %s/run' % self.root),
            inside)

    def test_the_root_s_terminals_are_the_node_s(self):
        devpts = self._index('mount -t devpts -o newinstance,ptmxmode=0666,'
                             'mode=0620 devpts /dev/pts')
        self.assertLess(devpts, self._index('mount --bind /dev/pts/ptmx '
                                            '/dev/ptmx'))
        # The root's /dev, made after them, has them: the console's pty
        # that QEMU opens in the root is the one nova-compute reads.
        self.assertLess(devpts, self._index('mount --rbind /dev %s/dev' %
                                            self.root))
        self.assertEqual([], [m for m in self.mounts
                              if 'devpts' in m and self.root in m])

    def test_instances_are_at_nova_s_path_in_the_root(self):
        self._index('mount --bind %s %s%s' % (
            self.node.layout.instances, self.root,
            self.layout.instances_path))
        # Not the repository: the run directory may be elsewhere
        # (/var/tmp, when QEMU cannot reach the checkout).
        self.assertEqual([], [m for m in self.mounts if '--rbind %s ' %
                              self.layout.top in m])

    def test_libvirt_daemons_run_in_the_root(self):
        self.assertEqual(['chroot', self.root, 'env', '-i'],
                         self.node._libvirt('libvirtd')[:4])
        self.assertEqual('libvirtd', self.node._libvirt('libvirtd')[-1])
        self.assertEqual(['virtlogd'],
                         cloud_node.Node(self.layout, 1)._libvirt('virtlogd'))

    def test_the_agent_runs_in_dpdk_mode(self):
        self.assertEqual(
            ['--dpdk-root', self.root, '--forwarder-logs',
             self.node.layout.forwarder_logs], self.node._agent_options())


class PrepareRootTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.layout = _layout(self)
        os.makedirs(self.layout.path('log'))

    def test_a_failed_step_names_its_log(self):
        with mock.patch.object(subprocess, 'run',
                               return_value=mock.Mock(returncode=1)):
            exc = self.assertRaises(procs.ServiceFailed,
                                    dpdk_node.prepare_root, self.layout)
        self.assertIn('functional-backports-root', str(exc))
        self.assertIn(self.layout.log('backports-root'), str(exc))

    def test_a_step_that_hangs_is_bounded(self):
        with mock.patch.object(
                subprocess, 'run',
                side_effect=subprocess.TimeoutExpired('x', 1)) as run:
            exc = self.assertRaises(procs.ServiceFailed,
                                    dpdk_node.prepare_root, self.layout)
        self.assertIn('did not finish in 1800 s', str(exc))
        self.assertEqual(dpdk_node.ROOT_TIMEOUT,
                         run.call_args.kwargs['timeout'])

    def test_accounts_follow_the_build(self):
        with mock.patch.object(subprocess, 'run',
                               return_value=mock.Mock(returncode=0)) as run:
            dpdk_node.prepare_root(self.layout)
        first, second = [c.args[0] for c in run.call_args_list]
        self.assertTrue(first[0].endswith('tools/functional-backports-root'))
        self.assertEqual(['python3', '-m', 'vrouter_functional.root_accounts',
                          dpdk_node.root(self.layout)], second)


class NodeKindsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.layout = _layout(self)

    def test_dpdk_nodes_come_after_the_kernel_ones(self):
        nodes = cloud.nodes(self.layout, 2, 1)
        self.assertEqual([cloud_node.Node, cloud_node.Node,
                          dpdk_node.DpdkNode], [type(n) for n in nodes])
        self.assertEqual(['vrcloud-node1', 'vrcloud-node2', 'vrcloud-node3'],
                         [n.name for n in nodes])
        # Every node's peers, whatever its kind: one underlay.
        self.assertEqual(['10.198.0.2', '10.198.0.11', '10.198.0.12'],
                         nodes[2].peers)

    def test_the_run_directory_says_each_node_s_kind(self):
        for index, datapath in ((1, 'kernel'), (2, 'dpdk')):
            os.makedirs(self.layout.node(index).path())
            with open(self.layout.node(index).path('datapath'), 'w') as f:
                f.write(datapath + '\n')
        os.makedirs(self.layout.node(3).path())  # made before the record
        self.assertEqual(
            [cloud_node.Node, dpdk_node.DpdkNode, cloud_node.Node],
            [type(n) for n in cloud.nodes(self.layout)])

    def test_nodes_file_says_datapath_zone_and_sockets(self):
        os.makedirs(self.layout.etc('x'))
        cloud._write_nodes_file(self.layout, cloud.nodes(self.layout, 1, 1))
        with open(self.layout.nodes_file) as f:
            kernel, dpdk = json.load(f)['nodes']
        self.assertEqual(('kernel', 'nova'),
                         (kernel['datapath'], kernel['zone']))
        self.assertEqual(('dpdk', 'dpdk'), (dpdk['datapath'], dpdk['zone']))
        self.assertEqual(self.layout.node(2).vhostuser_dir,
                         dpdk['vhostuser_socket_dir'])
        # The end-of-run check lists a node's sockets: a kernel node has
        # none to list.
        self.assertIsNone(kernel['vhostuser_socket_dir'])

    def test_up_refuses_impossible_clouds(self):
        for count, dpdk, zone in ((1, -1, None), (0, 0, None),
                                  (2, 0, dpdk_node.ZONE), (5, 4, None)):
            self.assertRaises(procs.ServiceFailed, cloud.up, self.layout,
                              count, dpdk, zone)


class ResizeTest(testtools.TestCase):

    def test_a_zone_of_one_node_resizes_in_place(self):
        self.assertTrue(nova.allow_resize_to_same_host({'nova': 1}))
        # Two kernel nodes and one DPDK node: servers of the DPDK zone
        # have nowhere else to go.
        self.assertTrue(nova.allow_resize_to_same_host(
            {'nova': 2, 'dpdk': 1}))

    def test_a_resize_moves_when_every_zone_can(self):
        self.assertFalse(nova.allow_resize_to_same_host({'nova': 2}))
        self.assertFalse(nova.allow_resize_to_same_host(
            {'nova': 2, 'dpdk': 2}))
        # A zone without nodes is no zone.
        self.assertFalse(nova.allow_resize_to_same_host(
            {'nova': 2, 'dpdk': 0}))

    def test_the_default_zone_decides(self):
        # tempest-dpdk with two DPDK nodes and one kernel node: tempest's
        # servers are the DPDK zone's, and move between its nodes.
        self.assertFalse(nova.allow_resize_to_same_host(
            {'nova': 1, 'dpdk': 2}, 'dpdk'))
        self.assertTrue(nova.allow_resize_to_same_host(
            {'nova': 2, 'dpdk': 1}, 'dpdk'))


class TempestTargetTest(testtools.TestCase):

    NODES = [{'host': 'vrcloud-node1', 'zone': 'nova'},
             {'host': 'vrcloud-node2', 'zone': 'dpdk'},
             {'host': 'vrcloud-node3', 'zone': 'dpdk'}]

    def test_a_zone_s_nodes(self):
        self.assertEqual(['vrcloud-node2', 'vrcloud-node3'],
                         [n['host'] for n in tempest_conf.nodes_under_test(
                             self.NODES, 'dpdk')])
        self.assertEqual(3, len(tempest_conf.nodes_under_test(self.NODES)))

    def test_a_zone_without_nodes_is_refused(self):
        exc = self.assertRaises(ValueError, tempest_conf.nodes_under_test,
                                self.NODES[:1], 'dpdk')
        self.assertEqual('no node of the cloud is in availability zone dpdk '
                         '(nova)', str(exc))
