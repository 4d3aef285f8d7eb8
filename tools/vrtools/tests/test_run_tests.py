# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

from vrtools import run_tests
from vrtools.tests import base


class TestSelection(base.RepoTestCase):

    def test_ci(self):
        envs, environ = run_tests.selection(None, self.top)
        self.assertEqual(
            ['pep8', 'tools', 'py3', 'package', 'kolla', 'floors',
             'plugin-2025.2', 'plugin-2026.2', 'nova', 'nova-33.0.2',
             'functional', 'tempest', 'devstack', 'docs'], envs)
        self.assertEqual({}, environ)

    def test_one_openstack_release(self):
        self.write('tools/openstack-releases',
                   '2026.2 2026-09-30 34.0.0 3.11 -\n')
        self.assertEqual(['floors', 'plugin-2026.2'],
                         run_tests.plugin_envs(self.top))

    def test_named(self):
        self.assertEqual((['py3', 'nova'], {}),
                         run_tests.selection('py3,nova', self.top))

    def test_groups(self):
        self.assertEqual((['nova', 'nova-33.0.2'], {'NOVA_JOB_FULL': '1'}),
                         run_tests.selection('nova-full', self.top))
        self.assertEqual(
            (['nova', 'nova-33.0.2'], {'NOVA_JOB_FUNCTIONAL': 'only'}),
            run_tests.selection('nova-functional', self.top))
        self.assertEqual((['floors', 'plugin-2025.2', 'plugin-2026.2'], {}),
                         run_tests.selection('plugin-all', self.top))


class TestCounts(base.RepoTestCase):

    def test_no_results(self):
        self.assertIsNone(run_tests.counts('py3', 0, self.top))

    def test_results(self):
        self.write('.results/py3', '12 1\n')
        self.assertEqual((12, 1), run_tests.counts('py3', 1, self.top))

    def test_a_failed_run_whose_tests_passed_is_one_failure(self):
        self.write('.results/nova', '30 0\n')
        self.assertEqual((30, 1), run_tests.counts('nova', 1, self.top))
        self.assertEqual((30, 0), run_tests.counts('nova', 0, self.top))
