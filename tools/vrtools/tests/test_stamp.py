# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

from vrtools import releases
from vrtools import stamp
from vrtools.tests import base


class TestKey(base.RepoTestCase):

    def key(self, *paths):
        key = stamp.Key()
        for path in paths:
            key.file(self.top / path)
        return key.hexdigest()

    def test_same_inputs_same_key(self):
        self.assertEqual(self.key('patches'), self.key('patches'))

    def test_a_changed_file_changes_the_key(self):
        before = self.key('patches')
        self.write('patches/33.0.2/0001-a.patch', 'another patch\n')
        self.assertNotEqual(before, self.key('patches'))

    def test_a_renamed_file_changes_the_key(self):
        before = self.key('patches')
        (self.top / 'patches/33.0.2/0001-a.patch').rename(
            self.top / 'patches/33.0.2/0001-b.patch')
        self.assertNotEqual(before, self.key('patches'))

    def test_words_and_files_do_not_run_together(self):
        self.write('a', 'bc')
        self.write('ab', 'c')
        self.assertNotEqual(
            stamp.Key().word('a').file(self.top / 'a').hexdigest(),
            stamp.Key().word('ab').file(self.top / 'ab').hexdigest())
        self.assertNotEqual(
            stamp.Key().word('a').word('bc').hexdigest(),
            stamp.Key().word('ab').word('c').hexdigest())

    def test_a_missing_file_is_not_an_empty_one(self):
        self.write('empty', '')
        self.assertNotEqual(self.key('empty'), self.key('missing'))


class TestTreeKey(base.RepoTestCase):

    def tree_key(self, version):
        return stamp.tree_key(releases.nova_release(version, self.top))

    def test_each_release_its_own(self):
        self.assertNotEqual(self.tree_key('34.0.0'), self.tree_key('33.0.2'))

    def test_its_series_directory(self):
        before = self.tree_key('33.0.2')
        self.write('patches/33.0.2/series', '# reordered\n0001-a.patch\n')
        self.assertNotEqual(before, self.tree_key('33.0.2'))

    def test_not_another_release_or_the_constraints(self):
        before = self.tree_key('33.0.2')
        self.write('patches/34.0.0/0001-a.patch', 'changed\n')
        self.write('tools/constraints.txt', 'a==2\n')
        self.assertEqual(before, self.tree_key('33.0.2'))

    def test_the_script_that_builds_it(self):
        before = self.tree_key('33.0.2')
        self.write('tools/nova-tree', '#!/bin/bash\n# changed\n')
        self.assertNotEqual(before, self.tree_key('33.0.2'))


class TestStamp(base.RepoTestCase):

    def test_none_until_written(self):
        file_stamp = stamp.Stamp(self.top / 'stamp')
        self.assertIsNone(file_stamp.read())
        self.assertFalse(file_stamp.matches('k'))
        file_stamp.write('k')
        self.assertTrue(file_stamp.matches('k'))
        self.assertFalse(file_stamp.matches('other'))
