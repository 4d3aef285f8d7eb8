# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import os
import pathlib

from vrtools import releases
from vrtools.tests import base
from vrtools import venv

# An environment's python that only records how it was called.
FAKE_PYTHON = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../calls"
"""


class TestNamedFiles(base.RepoTestCase):

    def test_every_spelling(self):
        self.assertEqual(
            [pathlib.Path(p) for p in ('a', 'b', 'c', 'd', 'e', 'f')],
            venv.named_files(['-c', 'a', '-r', 'b', '--constraint', 'c',
                              '--requirement=d', '-ce', '-rf', 'pkg',
                              '-e', '.']))


class TestInstall(base.RepoTestCase):

    def setUp(self):
        super().setUp()
        self.env = self.top / 'env'
        python = self.write('env/bin/python', FAKE_PYTHON)
        os.chmod(python, 0o755)
        self.constraints = self.top / 'tools' / 'constraints.txt'
        self.steps = [['-c', str(self.constraints), 'pkg']]

    def calls(self, env=None):
        try:
            return (pathlib.Path(env or self.env) / 'calls').read_text(
                ).splitlines()
        except FileNotFoundError:
            return []

    def install(self, **kwargs):
        kwargs.setdefault('log', str(self.top / 'log'))
        return venv.install(self.env, self.steps, **kwargs)

    def test_installs_once_per_key(self):
        self.assertTrue(self.install())
        self.assertEqual(
            ['-m pip install --quiet --disable-pip-version-check -c %s pkg'
             % self.constraints], self.calls())
        self.assertFalse(self.install())
        self.assertEqual(1, len(self.calls()))

    def test_a_named_file_changes_the_key(self):
        self.install()
        self.write('tools/constraints.txt', 'a==2\n')
        self.assertTrue(self.install())

    def test_paths_as_arguments(self):
        self.steps = [['-c', self.constraints, self.top / 'pkg']]
        self.assertTrue(self.install())
        self.assertEqual(
            ['-m pip install --quiet --disable-pip-version-check -c %s %s'
             % (self.constraints, self.top / 'pkg')], self.calls())
        self.write('tools/constraints.txt', 'a==2\n')
        self.assertTrue(self.install())

    def test_a_key_file(self):
        pyproject = self.write('cloud/pyproject.toml', '')
        self.install(key_files=[pyproject])
        self.assertFalse(self.install(key_files=[pyproject]))
        self.write('cloud/pyproject.toml', '# changed\n')
        self.assertTrue(self.install(key_files=[pyproject]))

    def test_the_tree_key(self):
        release = releases.nova_release('33.0.2', self.top)
        self.install(release=release)
        self.assertFalse(self.install(release=release))
        self.write('patches/33.0.2/0001-a.patch', 'changed\n')
        self.assertTrue(self.install(release=release))

    def test_builds_the_tree_first_and_ignores_its_files(self):
        script = self.write('tools/nova-tree',
                            '#!/bin/sh\necho "$*" > "%s/built"\n'
                            'mkdir -p "$3"\necho changed > "$3/reqs.txt"\n'
                            % self.top)
        os.chmod(script, 0o755)
        release = releases.nova_release('33.0.2', self.top)
        tree = self.top / 'tree'
        self.steps = [['-r', str(tree / 'reqs.txt'), str(tree)]]
        self.assertTrue(self.install(release=release, build_tree=tree))
        self.assertEqual('--release 33.0.2 %s\n' % tree,
                         (self.top / 'built').read_text())
        # The tree's files changed, its key did not.
        self.assertFalse(self.install(release=release, build_tree=tree))

    def test_a_pristine_tree_has_a_key_of_its_own(self):
        script = self.write('tools/nova-tree',
                            '#!/bin/sh\necho "$*" > "%s/built"\n'
                            % self.top)
        os.chmod(script, 0o755)
        release = releases.nova_release('33.0.2', self.top)
        tree = self.top / 'tree'
        self.assertTrue(self.install(release=release, build_tree=tree))
        self.assertTrue(self.install(release=release, build_tree=tree,
                                     pristine=True))
        self.assertEqual('--release 33.0.2 --pristine %s\n' % tree,
                         (self.top / 'built').read_text())
        self.assertFalse(self.install(release=release, build_tree=tree,
                                      pristine=True))

    def test_copy_of_another_environment(self):
        self.install()
        copy = self.top / 'copy'
        steps = [['other']]
        self.assertTrue(venv.install(copy, steps, copy_of=self.env,
                                     log=str(self.top / 'log')))
        self.assertEqual(self.calls() + ['-m pip install --quiet '
                                         '--disable-pip-version-check other'],
                         self.calls(copy))
        self.assertFalse(venv.install(copy, steps, copy_of=self.env))
        # The environment copied changed: the copy is redone.
        self.write('tools/constraints.txt', 'a==2\n')
        self.install()
        self.assertTrue(venv.install(copy, steps, copy_of=self.env,
                                     log=str(self.top / 'log')))

    def test_a_failed_step_leaves_no_stamp(self):
        self.write('env/bin/python', '#!/bin/sh\nexit 1\n')
        with self.assertRaises(venv.VenvError) as raised:
            self.install()
        self.assertIn('see %s' % (self.top / 'log'), str(raised.exception))
        self.assertFalse((self.env / '.inputs').exists())

    def test_stamps_of_two_steps_in_one_environment(self):
        self.install(stamp_name='.first')
        self.assertTrue(self.install(stamp_name='.second'))
        self.assertFalse(self.install(stamp_name='.first'))
