# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""tools/nova-gate compares the suites' runs by test id."""

import importlib.machinery
import importlib.util
import pathlib
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / 'nova-gate'


def _load():
    loader = importlib.machinery.SourceFileLoader('nova_gate', str(SCRIPT))
    spec = importlib.util.spec_from_loader('nova_gate', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


nova_gate = _load()


def _lists(passed=(), failed=(), skipped=(), crashed=()):
    return {'passed': set(passed), 'failed': set(failed),
            'skipped': set(skipped), 'crashed': set(crashed)}


class CompareSuiteTest(unittest.TestCase):

    LISTED = {'nova.T.test_plain', 'nova.T.test_scenarios'}
    # testscenarios: listed once, run once per scenario.
    RAN = ('nova.T.test_plain', 'nova.T.test_scenarios(legacy)',
           'nova.T.test_scenarios(modern)')

    def _compare(self, lists, listed):
        result = nova_gate.Result('unit')
        nova_gate.compare_suite(result, lists, listed)
        return result

    def test_a_test_run_once_per_scenario_has_run(self):
        result = self._compare(
            {'pristine': _lists(passed=self.RAN),
             'patched': _lists(passed=self.RAN + ('nova.S.test_new',))},
            {'pristine': self.LISTED,
             'patched': self.LISTED | {'nova.S.test_new'}})
        self.assertEqual([], result.differences)
        self.assertEqual('3 passed, 0 failed, 0 skipped',
                         result.summary['pristine'])
        self.assertEqual('the series adds 1 tests (1 passed, 0 skipped)',
                         result.note)

    def test_a_scenario_that_fails_only_on_patched_is_a_difference(self):
        result = self._compare(
            {'pristine': _lists(passed=self.RAN),
             'patched': _lists(passed=self.RAN[:2], failed=self.RAN[2:])},
            {'pristine': self.LISTED, 'patched': self.LISTED})
        self.assertEqual(['nova.T.test_scenarios(modern): passes on '
                          'pristine, failed on patched'], result.differences)

    def test_a_run_that_stopped_is_a_difference(self):
        result = self._compare(
            {'pristine': _lists(passed=self.RAN),
             'patched': _lists(passed=self.RAN[:1])},
            {'pristine': self.LISTED, 'patched': self.LISTED})
        self.assertEqual('1 passed, 0 failed, 0 skipped, 1 not run',
                         result.summary['patched'])
        self.assertEqual(['patched: 1 of its 2 tests did not run (the run '
                          'stopped; compared: the 1 tests that ran on both '
                          'trees)'], result.differences)

    def test_a_scenario_of_an_added_test_that_fails(self):
        result = self._compare(
            {'pristine': _lists(),
             'patched': _lists(passed=['nova.S.test_new(a)'],
                               failed=['nova.S.test_new(b)'])},
            {'pristine': set(), 'patched': {'nova.S.test_new'}})
        self.assertEqual(['nova.S.test_new(b): added by the series, fails'],
                         result.differences)
