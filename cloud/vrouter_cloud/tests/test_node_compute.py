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

"""A node's nova-compute from another virtualenv; a host's veth that stays.
"""

import configparser
import os
from unittest import mock

import fixtures
import testtools

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import node as cloud_node
from vrouter_cloud import underlay


class UseComputeTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        top = self.useFixture(fixtures.TempDir()).path
        self.layout = cloud_layout.Layout(
            top, run_dir=os.path.join(top, 'run'))
        self.node = cloud_node.Node(self.layout, 1)
        os.makedirs(self.node.layout.etc)
        self.start = self.useFixture(fixtures.MockPatchObject(
            self.node.processes, 'start')).mock
        self.useFixture(fixtures.MockPatchObject(
            self.node, 'namespaces_pid', return_value=4242))

    def _helpers(self):
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(self.node.layout.nova_conf)
        return set(conf[section]['helper_command'].split()[0]
                   for section in ('nova_sys_admin',
                                   'os_vif_vrouter_privileged'))

    def _started(self):
        (name, argv), kwargs = self.start.call_args
        self.assertEqual(self.node.service(cloud_node.COMPUTE), name)
        return argv[argv.index('--') + 1], kwargs['env']

    def test_the_clouds_virtualenv_by_default(self):
        self.node.start_compute()
        self.assertEqual((self.layout.bin('nova-compute'), {}),
                         self._started())

    def test_another_virtualenv_with_its_helper_and_environment(self):
        self.node.use_compute('/opt/stock', env={'A': 'b'})
        self.assertEqual({'/opt/stock/bin/privsep-helper'}, self._helpers())
        # Another Node of the same run directory (the job's next command)
        # starts the same one.
        other = cloud_node.Node(self.layout, 1)
        self.useFixture(fixtures.MockPatchObject(
            other, 'namespaces_pid', return_value=4242))
        other.processes = self.node.processes
        other.start_compute()
        self.assertEqual(('/opt/stock/bin/nova-compute', {'A': 'b'}),
                         self._started())

    def test_back_to_the_clouds_virtualenv(self):
        self.node.use_compute('/opt/stock', env={'A': 'b'})
        self.node.use_compute()
        self.assertEqual({self.layout.bin('privsep-helper')}, self._helpers())
        self.node.start_compute()
        self.assertEqual((self.layout.bin('nova-compute'), {}),
                         self._started())


class DetachTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # The namespaces and devices are the host's: never touch them here.
        self.delete = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.netns.delete')).mock
        self.useFixture(fixtures.MockPatch('time.sleep'))

    def test_waits_until_the_veth_is_gone(self):
        with mock.patch.object(underlay.iproute, 'netdev_exists',
                               side_effect=[True, True, False]) as exists:
            underlay.detach('vrcloud-node1')
        self.delete.assert_called_once_with('vrcloud-node1')
        exists.assert_called_with(cloud_layout.MANAGEMENT_VETH_PREFIX +
                                  'node1')
        self.assertEqual(3, exists.call_count)

    def test_a_veth_that_stays_is_an_error(self):
        clock = iter(range(0, 100, 10))
        with mock.patch.object(underlay.iproute, 'netdev_exists',
                               return_value=True), \
                mock.patch('time.monotonic', lambda: next(clock)):
            exc = self.assertRaises(underlay.VethLingers, underlay.detach,
                                    'vrcloud-node1', timeout=30)
        self.assertIn('vrcloud-node1 was deleted: a process still runs in '
                      'it', str(exc))
