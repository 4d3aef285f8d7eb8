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

"""The job's order of scenarios, and what it does around each (no cloud).
"""

import datetime
import os
from unittest import mock

import fixtures
import testtools

from vrouter_cloud.operations import job
from vrouter_cloud.operations import report
from vrouter_cloud.operations import waits


class OrderTest(testtools.TestCase):

    def test_the_default_order(self):
        self.assertEqual([4, 1, 2, 3, 5, 6],
                         job.scenario_order(job.DEFAULT_ORDER))

    def test_without_the_upgrade_any_order(self):
        self.assertEqual([3, 1], job.scenario_order('3,1'))

    def test_refused(self):
        for text, message in (
                ('1,4', 'the in-place upgrade (4) must come first'),
                ('1,7', 'scenarios are 1, 2, 3, 4, 5, 6, each once'),
                ('1,1', 'each once'),
                ('one', 'not a list of numbers')):
            exc = self.assertRaises(ValueError, job.scenario_order, text)
            self.assertIn(message, str(exc))


class RunScenarioTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.h = mock.MagicMock()
        self.restore = self.useFixture(fixtures.MockPatchObject(
            job, '_restore')).mock
        self.fall_back = self.useFixture(fixtures.MockPatchObject(
            job.upgrade, 'fall_back')).mock

    def _scenario(self, number, function, gap_limit=None):
        self.useFixture(fixtures.MockPatchObject(
            job, 'SCENARIOS', {number: job.Scenario('a title', function,
                                                    gap_limit)}))

    def test_a_scenario_that_meets_its_goals(self):
        def scenario(h, result):
            result.add_gap('ops-base-00', 0.01)

        self._scenario(2, scenario, gap_limit=0.1)
        result = job.run_scenario(self.h, 2)
        self.assertTrue(result.passed, result.failures)
        self.assertEqual(0.1, result.gap_limit)
        # What it booted goes, then the nodes are checked once more.
        self.assertEqual([mock.call.remove_booted(),
                          mock.call.check(result, 0, 0, pings=False)],
                         [c for c in self.h.mock_calls
                          if c[0] in ('remove_booted', 'check')])
        self.restore.assert_not_called()

    def test_a_failure_is_reported_and_the_nodes_restored(self):
        def scenario(h, result):
            raise waits.TimedOut('vrcloud-node1: a port file: not after 9 s')

        self._scenario(1, scenario)
        result = job.run_scenario(self.h, 1)
        self.assertEqual(['TimedOut: vrcloud-node1: a port file: not '
                          'after 9 s'], result.failures)
        self.restore.assert_called_once_with(self.h)
        self.h.remove_booted.assert_called_once_with()
        self.fall_back.assert_not_called()

    def test_a_failed_upgrade_falls_back_to_our_plugin(self):
        def scenario(h, result):
            raise job.upgrade.UpgradeFailed('pip check: exit 1')

        self._scenario(job.UPGRADE, scenario)
        result = job.run_scenario(self.h, job.UPGRADE)
        self.assertFalse(result.passed)
        self.fall_back.assert_called_once_with(self.h)

    def test_a_bug_of_the_job_is_not_a_scenario_failure(self):
        def scenario(h, result):
            raise KeyError('ops-base-00')

        self._scenario(1, scenario)
        self.assertRaises(KeyError, job.run_scenario, self.h, 1)

    def test_the_shared_goals_are_judged(self):
        def scenario(h, result):
            result.add_gap('ops-base-01', 0.25)

        self._scenario(4, scenario, gap_limit=0.1)
        result = job.run_scenario(self.h, 4)
        self.assertEqual(['ping gap above 100 ms: ops-base-01 250 ms'],
                         result.failures)


class RestoreTest(testtools.TestCase):

    def test_what_died_is_started_again(self):
        h = mock.Mock()
        h.processes.running.return_value = False  # the pinger
        up, down = mock.Mock(), mock.Mock()
        up.processes.running.return_value = True
        up.service.side_effect = lambda name: name
        down.service.side_effect = lambda name: name
        down.processes.running.side_effect = (
            lambda name: name != job.cloud_node.NAMESPACES)
        h.nodes = {'vrcloud-node1': up, 'vrcloud-node2': down}
        job._restore(h)
        h.start_pinger.assert_called_once_with()
        up.start.assert_not_called()
        up.start_agent.assert_not_called()
        down.start.assert_called_once_with()


class SubunitTest(testtools.TestCase):

    def _tests(self, path):
        from subunit import v2
        import testtools as tt

        with open(path, 'rb') as f:
            stream = v2.ByteStreamToStreamResult(f)
            summary = tt.StreamSummary()
            results = tt.StreamToDict(lambda test: outcomes.append(
                (test['id'], test['status'])))
            outcomes = []
            combined = tt.CopyStreamResult([summary, results])
            combined.startTestRun()
            stream.run(combined)
            combined.stopTestRun()
        return outcomes

    def test_set_up_and_scenarios(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 's')
        passed = report.Result(1, 'a')
        failed = report.Result(2, 'b')
        failed.failures.append('1 lost-registration')
        job.write_subunit(path, [passed, failed],
                          datetime.datetime.now(datetime.timezone.utc), None)
        self.assertEqual([('cloud_operations.set_up', 'success'),
                          ('cloud_operations.scenario_1', 'success'),
                          ('cloud_operations.scenario_2', 'fail')],
                         self._tests(path))

    def test_a_set_up_that_failed(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 's')
        job.write_subunit(path, [],
                          datetime.datetime.now(datetime.timezone.utc),
                          'SetUpFailed: servers not ACTIVE')
        self.assertEqual([('cloud_operations.set_up', 'fail')],
                         self._tests(path))
