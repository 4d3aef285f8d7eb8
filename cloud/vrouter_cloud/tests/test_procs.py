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

"""Stopping a service: SIGTERM, then SIGKILL, then a bounded wait."""

import os
import sys
from unittest import mock

import fixtures
import testtools

from vrouter_cloud import cloud
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import procs

# A service that ignores SIGTERM, as nova-compute can for a while.
STUBBORN = [sys.executable, '-c',
            'import signal, time\n'
            'signal.signal(signal.SIGTERM, signal.SIG_IGN)\n'
            'print("ready", flush=True)\n'
            'time.sleep(60)\n']


class StopTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        top = self.useFixture(fixtures.TempDir()).path
        self.layout = cloud_layout.Layout(
            top, run_dir=os.path.join(top, 'run'))
        self.processes = procs.Processes(self.layout)
        self.pid = self.processes.start('stubborn', STUBBORN)
        # Whatever a test does, the process does not outlive it.
        self.addCleanup(procs.Processes._signal, self.pid, 9, True)
        procs.wait_line(self.processes, 'stubborn', 'ready', timeout=30)

    def test_a_service_that_ignores_sigterm_is_killed(self):
        self.assertTrue(self.processes.stop('stubborn', timeout=0.3))
        self.assertFalse(self.processes.running('stubborn'))
        self.assertEqual([], self.processes.names())
        self.assertEqual({}, self.processes.lingering)

    def test_what_outlives_sigkill_is_listed_not_waited_for(self):
        # A process in uninterruptible sleep stays in its group after
        # SIGKILL; the wait ends and the service is listed with its pids.
        self.useFixture(fixtures.MockPatchObject(procs, 'KILL_TIMEOUT', 0.3))
        self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.procs._group_members', return_value=[self.pid]))
        self.assertTrue(self.processes.stop('stubborn', timeout=0.3))
        self.assertEqual({'stubborn': [self.pid]}, self.processes.lingering)
        # Its record stays, for a later down to try again.
        self.assertEqual(['stubborn'], self.processes.names())


class DownTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        top = self.useFixture(fixtures.TempDir()).path
        self.layout = cloud_layout.Layout(
            top, run_dir=os.path.join(top, 'run'))
        self.nodes = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.cloud.nodes', return_value=[])).mock
        self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.underlay.cleanup', return_value=[]))
        self.useFixture(fixtures.MockPatch('vrouter_cloud.cloud._say'))

    def test_a_lingering_service_fails_down_after_the_others_stop(self):
        stopped = []
        # A node's libvirtd lingered when the node stopped; both it and
        # rabbitmq keep their records, and neither is stopped twice.
        node = mock.Mock()
        node.stop.return_value = (['vrcloud-node1-libvirtd'], [])
        node.processes.lingering = {'vrcloud-node1-libvirtd': [77]}
        self.nodes.return_value = [node]
        records = self.layout.path('pids')
        os.makedirs(records)
        for name in ('vrcloud-node1-libvirtd', 'rabbitmq', 'other'):
            open(os.path.join(records, name), 'w').close()

        def stop(processes, name, **kwargs):
            stopped.append(name)
            if name == 'rabbitmq':
                processes.lingering[name] = [4242, 4243]
            return True

        self.useFixture(fixtures.MockPatchObject(
            procs.Processes, 'stop', autospec=True, side_effect=stop))
        exc = self.assertRaises(procs.ServicesLinger, cloud.down,
                                self.layout, delete_servers=False)
        self.assertEqual(list(reversed(cloud.CONTROL)) + ['other'], stopped)
        self.assertEqual('still there 30 s after SIGKILL (uninterruptible?): '
                         'rabbitmq (pids 4242 4243), '
                         'vrcloud-node1-libvirtd (pids 77)', str(exc))
