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

"""The inventory of what a cloud could leave behind (its names only)."""

import os

import fixtures
import testtools

from vrouter_cloud import inventory
from vrouter_cloud import layout as cloud_layout


class InventoryTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.top = self.useFixture(fixtures.TempDir()).path
        self.layout = cloud_layout.Layout(
            self.top, run_dir=os.path.join(self.top, 'run'),
            port_base=19400)

    def test_the_clouds_names_only(self):
        name = cloud_layout.NAME
        prefix = cloud_layout.PREFIX
        self.assertEqual(['domain %s-0000000a' % name],
                         inventory.domain_lines(['%s-0000000a' % name,
                                                 'instance-0000000a']))
        self.assertEqual(['netdev %sb-4f2a' % prefix],
                         inventory.netdev_lines(['%sb-4f2a' % prefix, 'eth0',
                                                 '%s7b-4f2a' % prefix]))
        self.assertEqual(['netns %s-r0123abcd' % name],
                         inventory.netns_lines(['%s-r0123abcd' % name,
                                                'qrouter-0123']))

    def test_port_files_of_every_node(self):
        ports = self.layout.path('nodes', 'vrcloud-node2', 'ports')
        os.makedirs(ports)
        with open(os.path.join(ports, 'ab12'), 'w'):
            pass
        self.assertEqual(['port-file ab12'],
                         inventory.port_file_lines(self.layout))

    def _process(self, proc, pid, *argv):
        os.makedirs(os.path.join(proc, str(pid)))
        with open(os.path.join(proc, str(pid), 'cmdline'), 'wb') as f:
            f.write(b'\0'.join(a.encode() for a in argv) + b'\0')

    def test_processes_of_the_cloud_not_of_the_job(self):
        proc = self.useFixture(fixtures.TempDir()).path
        build = self.layout.build
        self._process(proc, 10, build + '/venv/bin/nova-compute')
        self._process(proc, 11, 'qemu-system-x86_64', '-name',
                      'guest=%s-00000001,debug-threads=on' %
                      cloud_layout.NAME)
        self._process(proc, 12, 'epmd', '-port', '19403')
        self._process(proc, 13, 'epmd', '-port', '19503')
        self._process(proc, 14, '/bin/bash', self.top +
                      '/tools/cloud-operations-job')
        self._process(proc, 15, build + '/venv/bin/python', '-m',
                      'vrouter_cloud.inventory')
        self._process(proc, 16, build + '/venv/bin/python', '-m',
                      'vrouter_cloud.meter')
        os.makedirs(os.path.join(proc, 'self'))
        lines = inventory.process_lines(
            inventory.process_pattern(self.layout), proc=proc,
            exclude=(16,))
        self.assertEqual([
            'process 10 %s/venv/bin/nova-compute' % build,
            'process 11 qemu-system-x86_64 -name guest=%s-00000001,'
            'debug-threads=on' % cloud_layout.NAME,
            'process 12 epmd -port 19403'], sorted(lines))

    def test_a_dpdk_node_s_forwarders(self):
        proc = self.useFixture(fixtures.TempDir()).path
        self._process(proc, 20, 'dpdk-testpmd', '--vdev',
                      'net_tap0,iface=%sd-5ac0a8a5' % cloud_layout.PREFIX)
        self._process(proc, 21, 'dpdk-testpmd', '--vdev',
                      'net_tap0,iface=dtap0')
        lines = inventory.process_lines(
            inventory.process_pattern(self.layout), proc=proc)
        self.assertEqual(['process 20 dpdk-testpmd --vdev net_tap0,'
                          'iface=%sd-5ac0a8a5' % cloud_layout.PREFIX], lines)

    def test_processes_in_the_backports_root_when_asked(self):
        proc = self.useFixture(fixtures.TempDir()).path
        root = self.useFixture(fixtures.TempDir()).path
        self._process(proc, 30, '/usr/sbin/libvirtd', '--listen')
        os.symlink(root, os.path.join(proc, '30', 'root'))
        self._process(proc, 31, '/usr/sbin/libvirtd')
        os.symlink('/', os.path.join(proc, '31', 'root'))
        pattern = inventory.process_pattern(self.layout)
        self.assertEqual([], inventory.process_lines(pattern, proc=proc))
        self.assertEqual(
            ['process 30 in the backports root: /usr/sbin/libvirtd '
             '--listen'],
            inventory.process_lines(pattern, proc=proc, root=root))
