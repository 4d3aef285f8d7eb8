# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

from vrtools import releases
from vrtools.tests import base


class TestNovaReleases(base.RepoTestCase):

    def test_list_skips_comments_and_blank_lines(self):
        self.assertEqual(['34.0.0', '33.0.2'],
                         releases.nova_releases(self.top))

    def test_default_is_the_first(self):
        release = releases.nova_release(None, self.top)
        self.assertEqual('34.0.0', release.version)
        self.assertTrue(release.is_default)
        self.assertEqual('ab' * 32, release.sdist_sha256)
        self.assertEqual(self.top / '.nova-build' / 'tree', release.tree)
        self.assertEqual(self.top / 'patches' / '34.0.0', release.patch_dir)

    def test_other_release(self):
        release = releases.nova_release('33.0.2', self.top)
        self.assertFalse(release.is_default)
        self.assertEqual(self.top / '.nova-build' / 'tree-33.0.2',
                         release.tree)

    def test_unknown_release(self):
        with self.assertRaises(releases.ReleaseError) as raised:
            releases.nova_release('1.0', self.top)
        self.assertEqual('no series for nova 1.0 (patches/releases has: '
                         '34.0.0 33.0.2)', str(raised.exception))

    def test_nova_base_of_another_version(self):
        self.write('patches/33.0.2/nova-base', 'NOVA_VERSION=33.0.1\n'
                   'NOVA_SDIST_SHA256=00\n')
        with self.assertRaises(releases.ReleaseError) as raised:
            releases.nova_release('33.0.2', self.top)
        self.assertIn('pins nova 33.0.1, not 33.0.2', str(raised.exception))

    def test_empty_list(self):
        self.write('patches/releases', '# nothing\n')
        self.assertRaises(releases.ReleaseError, releases.nova_releases,
                          self.top)


class TestConstraints(base.RepoTestCase):

    def test_release_of_its_own(self):
        own = self.write('tools/constraints-34.0.0.txt', '')
        self.write('tools/constraints-2026.2.txt', '')
        self.assertEqual(
            own, releases.nova_release('34.0.0', self.top).constraints)

    def test_the_openstack_release_whose_stock_nova_it_is(self):
        series = self.write('tools/constraints-2026.2.txt', '')
        self.assertEqual(
            series, releases.nova_release('34.0.0', self.top).constraints)

    def test_else_the_default_constraints(self):
        self.assertEqual(
            self.top / 'tools' / 'constraints.txt',
            releases.nova_release('33.0.2', self.top).constraints)


class TestOpenStackReleases(base.RepoTestCase):

    def test_fields(self):
        first, last = releases.openstack_releases(self.top)
        self.assertEqual(('2025.2', '2025-10-01', '32.2.1'),
                         (first.series, first.released, first.nova))
        self.assertEqual(('3.10', '3.11', '3.12'), first.pythons)
        self.assertEqual((), first.pins)
        self.assertEqual(('SQLAlchemy==2.0.52', 'a==1'), last.pins)
        self.assertEqual(self.top / 'tools' / 'constraints-2026.2.txt',
                         last.constraints)

    def test_by_series(self):
        self.assertEqual('32.2.1',
                         releases.openstack_release('2025.2', self.top).nova)
        self.assertRaises(releases.ReleaseError, releases.openstack_release,
                          '2000.1', self.top)

    def test_line_with_a_field_missing(self):
        self.write('tools/openstack-releases', '2025.2 2025-10-01 32.2.1 -\n')
        self.assertRaises(releases.ReleaseError, releases.openstack_releases,
                          self.top)

    def test_the_repository_lists_parse(self):
        # The real lists: every Nova release has a nova-base that pins it.
        for version in releases.nova_releases():
            releases.nova_release(version)
        self.assertTrue(releases.openstack_releases())
