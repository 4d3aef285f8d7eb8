# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""tools/nova-gate compares the suites' runs by test id."""

import importlib.machinery
import importlib.util
import pathlib
import shutil
import tempfile
import unittest
from unittest import mock

from vrtools.tests import test_results

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


class TestListsTest(unittest.TestCase):

    def test_a_test_run_twice_counts_once(self):
        # The profiler's test: skipped by the suite, passed alone; a test
        # that failed in one of its runs is failed.
        lists = nova_gate._test_lists(test_results.stream(
            ('nova.P.test', 'skip'), ('nova.F.test', 'success'),
            ('nova.C.test', 'skip'), ('nova.P.test', 'success'),
            ('nova.F.test', 'fail'), ('nova.C.test', 'inprogress'),
            ('nova.S.test', 'skip')))
        self.assertEqual(_lists(passed=['nova.P.test'],
                                failed=['nova.F.test'],
                                skipped=['nova.S.test'],
                                crashed=['nova.C.test']), lists)


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
                          'stopped; the tests that ran are compared)'],
                         result.differences)

    def test_a_scenario_of_an_added_test_that_fails(self):
        result = self._compare(
            {'pristine': _lists(),
             'patched': _lists(passed=['nova.S.test_new(a)'],
                               failed=['nova.S.test_new(b)'])},
            {'pristine': set(), 'patched': {'nova.S.test_new'}})
        self.assertEqual(['nova.S.test_new(b): added by the series, fails'],
                         result.differences)


class PristineTargetsTest(unittest.TestCase):
    """The pristine tree runs only what decides the comparison."""

    LISTED = {'nova.T.test_ok', 'nova.T.test_fails', 'nova.T.test_skip',
              'nova.T.test_scenarios', 'nova.T.test_late',
              'nova.T.test_renamed'}
    PATCHED_LISTED = (LISTED - {'nova.T.test_renamed'}) | {'nova.S.test_new'}
    PATCHED = _lists(
        passed=['nova.T.test_ok', 'nova.T.test_scenarios(a)',
                'nova.S.test_new'],
        failed=['nova.T.test_fails', 'nova.T.test_scenarios(b)'],
        skipped=['nova.T.test_skip'])

    def test_targets(self):
        # test_late did not run on patched; test_renamed is pristine's
        # only; test_new is the series' (pristine has no result for it).
        self.assertEqual(
            {'nova.T.test_fails', 'nova.T.test_skip',
             'nova.T.test_scenarios', 'nova.T.test_late',
             'nova.T.test_renamed'},
            nova_gate.pristine_targets(
                self.PATCHED, {'pristine': self.LISTED,
                               'patched': self.PATCHED_LISTED}))

    def _compare(self, pristine_lists, targets):
        result = nova_gate.Result('unit')
        nova_gate.compare_suite(
            result, {'pristine': pristine_lists, 'patched': self.PATCHED},
            {'pristine': self.LISTED, 'patched': self.PATCHED_LISTED},
            targets)
        return result

    def test_same_differences_as_the_whole_run(self):
        # What the targeted pristine run gives, against the whole run:
        # the tests outside the targets (test_ok, test_scenarios(a))
        # decide nothing.
        targeted = _lists(
            passed=['nova.T.test_skip', 'nova.T.test_scenarios(b)',
                    'nova.T.test_late', 'nova.T.test_renamed'],
            failed=['nova.T.test_fails'], skipped=['nova.T.test_scenarios(a)'])
        whole = _lists(passed=set(targeted['passed']) | {'nova.T.test_ok'},
                       failed=targeted['failed'],
                       skipped=targeted['skipped'])
        targets = {'nova.T.test_fails', 'nova.T.test_skip',
                   'nova.T.test_scenarios', 'nova.T.test_late',
                   'nova.T.test_renamed'}
        by_targets = self._compare(targeted, targets)
        by_whole = self._compare(whole, None)
        # (test_late did not run on patched: both say so.)
        self.assertEqual(by_whole.differences, by_targets.differences)
        self.assertEqual(by_whole.both, by_targets.both)
        self.assertEqual(['nova.T.test_fails'], by_targets.both)
        self.assertIn('nova.T.test_renamed: passes on pristine, missing on '
                      'patched', by_targets.differences)
        self.assertIn('nova.T.test_scenarios(b): passes on pristine, failed '
                      'on patched', by_targets.differences)
        self.assertIn('nova.T.test_skip: passes on pristine, skipped on '
                      'patched', by_targets.differences)
        self.assertEqual(
            '4 passed, 1 failed, 1 skipped (ran 5 of its 6 tests: those '
            'the patched tree did not pass or list)',
            by_targets.summary['pristine'])

    def test_a_target_that_did_not_run_on_pristine(self):
        result = self._compare(_lists(), {'nova.T.test_fails'})
        self.assertIn('pristine: 1 of its 1 tests did not run (the run '
                      'stopped; the tests that ran are compared)',
                      result.differences)

    def test_targeted_commands(self):
        commands = [(['run'], {}),
                    (['run', '--combine', '--no-discover', 'nova.P.test'],
                     {'X': '1'}),
                    (['run', '--combine', '--no-discover', 'nova.Q.test'],
                     {})]
        self.assertEqual(
            [(['run', '--load-list', 'F'], {}),
             (['run', '--combine', '--no-discover', 'nova.P.test'],
              {'X': '1'})],
            nova_gate._targeted(commands, {'nova.P.test', 'nova.T.x'}, 'F'))
        self.assertEqual([], nova_gate._targeted(commands, set(), 'F'))


class FromResultsTest(unittest.TestCase):
    """--from-results compares the kept runs with their own listings."""

    def setUp(self):
        self.work = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.work)
        self.release = mock.Mock(results=self.work)
        self.venv = mock.Mock()
        self.venv.env.return_value = {}
        out = self.work / 'unit'
        out.mkdir()
        # ddt's ids as the run's hash seed gave them.
        ids = ('nova.T.test_x_1_a', 'nova.T.test_x_2_b')
        for kind in ('patched', 'pristine'):
            (out / ('%s.listed' % kind)).write_text('\n'.join(ids) + '\n')
            (out / ('%s.subunit' % kind)).write_bytes(
                test_results.stream(*((i, 'success') for i in ids)))

    def test_the_kept_listing_is_read(self):
        with mock.patch.object(nova_gate, '_listed',
                               side_effect=AssertionError('listed again')):
            result = nova_gate.run_suite(self.release, 'unit', self.venv,
                                         [(['run'], {})], rerun=False,
                                         pristine='whole')
        self.assertEqual([], result.differences)
        self.assertEqual(2, result.passed)


class ConstraintsTest(unittest.TestCase):
    """An older release's unit virtualenv is not given 34.0.0's extras."""

    def _merged(self, is_default):
        work = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, work)
        release_pins = work / 'constraints-release.txt'
        release_pins.write_text('urllib3==1.26.18\n')
        release = mock.Mock(work=work, constraints=release_pins,
                            is_default=is_default)
        venv = nova_gate.Venv(release, 'unit', [])
        skip = nova_gate.constraint_skips(release).get('unit', ())
        _, merged = venv.constraint_args(skip)
        return merged.read_text().splitlines()

    def test_older_release(self):
        pins = self._merged(is_default=False)
        self.assertIn('urllib3==1.26.18', pins)
        self.assertFalse([p for p in pins if p.startswith(
            ('oslo.vmware', 'suds-community', 'zVMCloudConnector'))])

    def test_default_release(self):
        self.assertIn('oslo.vmware==4.10.1', self._merged(is_default=True))


class ReleaseConstraintsTest(unittest.TestCase):

    def test_the_openstack_release_before_the_nova_jobs_pins(self):
        # tools/constraints-33.0.2.txt (the nova job's: 34.0.0's
        # libraries) exists; the gate takes 2026.1's.
        self.assertEqual('constraints-2026.1.txt',
                         nova_gate.Release('33.0.2').constraints.name)
        self.assertEqual('constraints-2026.2.txt',
                         nova_gate.Release('34.0.0').constraints.name)
