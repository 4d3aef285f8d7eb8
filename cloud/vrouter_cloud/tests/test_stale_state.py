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

"""tools/cloud up starts from nothing, and never on top of a running cloud."""

import os
from unittest import mock

import fixtures
import testtools

from vrouter_cloud import cloud
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import procs


class StaleStateTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        top = self.useFixture(fixtures.TempDir()).path
        self.layout = cloud_layout.Layout(
            top, run_dir=os.path.join(top, 'run'))
        self.processes = procs.Processes(self.layout)
        # The namespaces and devices are the host's: never touch them here.
        self.cleanup = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.underlay.cleanup',
            return_value=['vrcb-0123456789'])).mock
        self.useFixture(fixtures.MockPatch('vrouter_cloud.cloud._say'))

    def _leave(self, *names):
        for name in names:
            os.makedirs(self.layout.path(name, 'something'))

    def test_a_dead_cloud_state_is_removed(self):
        self._leave('data', 'etc', 'log')
        with open(self.layout.path('log', 'nova-compute.log'), 'w'):
            pass
        # A service recorded, no longer running.
        with mock.patch.object(procs, '_start_time', return_value='1'):
            self.processes.adopt('mariadb', 999999)
        cloud._clear_stale_state(self.layout, self.processes)
        for name in ('data', 'etc', 'pids'):
            self.assertFalse(os.path.exists(self.layout.path(name)), name)
        # The logs stay, for whoever reads why the last cloud failed.
        self.assertTrue(os.path.exists(self.layout.log('nova-compute')))
        self.cleanup.assert_called_once_with()
        cloud._say.assert_called_once_with(
            'removed what a cloud not taken down left: data/, pids/, etc/, '
            'vrcb-0123456789')

    def test_nothing_left_nothing_done(self):
        self._leave('log')
        cloud._clear_stale_state(self.layout, self.processes)
        self.cleanup.assert_not_called()
        cloud._say.assert_not_called()

    def test_a_running_cloud_is_refused_and_kept(self):
        self._leave('data')
        self.processes.adopt('mariadb', os.getpid())
        exc = self.assertRaises(procs.ServiceFailed,
                                cloud._clear_stale_state, self.layout,
                                self.processes)
        self.assertIn('a cloud is already up in %s (mariadb)' %
                      self.layout.run_dir, str(exc))
        self.assertTrue(os.path.exists(self.layout.data('something')))
        self.cleanup.assert_not_called()
