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

"""The cloud-operations job's verdicts and its table."""

import testtools

from vrouter_cloud.operations import report


def _result(number=1, errors=(), **kwargs):
    result = report.Result(number, 'agent restart', gap_limit=0.1)
    for guest, gap in (('10.0.0.5', 0.01), ('10.0.0.6', 0.02),
                       ('10.0.0.7', 0.05)):
        result.add_gap(guest, gap)
    for index, expected in enumerate(errors):
        result.errors['server-%d' % index] = (expected, 'a fault')
    for key, value in kwargs.items():
        setattr(result, key, value)
    return report.judge(result)


class JudgeTest(testtools.TestCase):

    def test_all_goals_met(self):
        result = _result()
        self.assertTrue(result.passed)
        self.assertEqual(0.02, result.gap_median())
        self.assertEqual(0.05, result.gap_max())

    def test_each_shared_goal_fails_the_scenario(self):
        result = _result(differences={('lost-registration', 'p1', 'n1'),
                                      ('stale-file', 'p2', 'n1'),
                                      ('stale-file', 'p3', 'n2')},
                         errors=[False, True],
                         drift={('n1', 'stale-file', 'p2'),
                                ('n1', 'missing-file', 'd1'),
                                ('n2', 'stale-file', 'p3')},
                         gaps={'10.0.0.5': 0.25, '10.0.0.6': 0.01})
        self.assertFalse(result.passed)
        self.assertEqual([
            '1 lost-registration',
            '2 stale-file',
            '1 servers in ERROR unexpectedly',
            'vrouter-port-audit: 3 findings of drift',
            'ping gap above 100 ms: 10.0.0.5 250 ms',
        ], result.failures)
        self.assertEqual(1, result.lost_registrations)
        self.assertEqual(2, result.stale)

    def test_no_gap_limit_no_gap_failure(self):
        result = report.Result(3, 'host reboot')
        result.add_gap('10.0.0.5', 25.0)
        result.add_gap('10.0.0.5', 1.0)  # a later check: the longest stays
        self.assertEqual({'10.0.0.5': 25.0}, result.gaps)
        self.assertTrue(report.judge(result).passed)

    def test_expected_errors_do_not_fail(self):
        result = _result(errors=[True, True])
        self.assertTrue(result.passed)
        self.assertEqual((2, 0), (result.errors_expected,
                                  result.errors_unexpected))

    def test_a_scenario_failure_of_its_own(self):
        result = report.Result(2, 'nova-compute restart')
        result.failures.append('DELETE at the agent of vrcloud-node1')
        self.assertFalse(report.judge(result).passed)


class TableTest(testtools.TestCase):

    def test_table(self):
        ok = _result(errors=[True])
        bad = _result(number=5, drift={('n1', 'temp-leftover', 'p1')})
        bad.title = 'full disk'
        empty = report.judge(report.Result(6, 'agent down'))
        lines = report.table([ok, bad, empty])
        self.assertEqual([
            'scenario         servers  gap median  gap max  pkts lost  '
            'lost reg  stale            ERROR    audit  result',
            '---------------  -------  ----------  -------  ---------  '
            '--------  -----  ---------------  -------  ------',
            '1 agent restart        3       20 ms    50 ms          0  '
            '       0      0  0 (+1 expected)    clean  passed',
            '5 full disk            3       20 ms    50 ms          0  '
            '       0      0                0  1 drift  FAILED',
            '6 agent down           0           -        -          0  '
            '       0      0                0    clean  passed',
            '2 scenarios passed, 1 failed',
        ], lines)
