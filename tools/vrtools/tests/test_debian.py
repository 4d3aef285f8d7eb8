# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import os
from unittest import mock

from vrtools import debian
from vrtools.tests import base

# dpkg-query and apt-get as far as install() can tell: packages are
# installed when listed in $STATE/installed; apt-get install works only
# after apt-get update (package lists missing), and never for "broken";
# it copies the policy-rc.d it finds at $POLICY to $STATE/policy.
FAKE_DPKG_QUERY = """#!/bin/sh
for last; do :; done
grep -qx "$last" "$STATE/installed" 2>/dev/null &&
    printf 'install ok installed'
exit 0
"""
FAKE_APT_GET = """#!/bin/sh
echo "apt-get $*" >> "$STATE/calls"
[ "$DEBIAN_FRONTEND" = noninteractive ] || exit 2
case "$2" in
    update) touch "$STATE/updated" ;;
    install)
        [ -e "$POLICY" ] && cat "$POLICY" >> "$STATE/policy"
        [ -e "$STATE/updated" ] || exit 100
        shift 4
        for p; do
            [ "$p" = broken ] || echo "$p" >> "$STATE/installed"
        done ;;
esac
"""


class TestPackages(base.RepoTestCase):

    def test_every_job_has_the_guest(self):
        for job in ('cloud', 'functional', 'functional-backports-root'):
            for package in debian.GUEST:
                self.assertIn(package, debian.packages(job), job)

    def test_the_backports_root_leaves_backports_packages_out(self):
        root = debian.packages('functional-backports-root')
        for package in debian.BACKPORTS:
            self.assertNotIn(package, root)
        self.assertIn('dpdk-dev', root)
        self.assertIn('pkg-config', root)

    def test_several_jobs_each_package_once(self):
        both = debian.packages('cloud', 'functional')
        self.assertEqual(len(set(both)), len(both))
        self.assertEqual(debian.packages('cloud'),
                         both[:len(debian.packages('cloud'))])

    def test_unknown_job(self):
        with self.assertRaises(debian.DebianError) as raised:
            debian.packages('nope')
        self.assertIn('no job nope (jobs: cloud,', str(raised.exception))


class TestWithSuite(base.RepoTestCase):

    SOURCES = (
        'Types: deb\n'
        '# http://snapshot.debian.org/archive/debian/20250520T000000Z\n'
        'URIs: http://deb.debian.org/debian\n'
        'Suites: bookworm bookworm-updates\n'
        'Components: main\n'
        '\n'
        'Types: deb\n'
        'URIs: http://deb.debian.org/debian-security\n'
        'Suites: bookworm-security\n')

    def test_added_beside_the_suite_only(self):
        self.assertEqual(
            'Types: deb\n'
            'URIs: http://deb.debian.org/debian\n'
            'Suites: bookworm bookworm-updates bookworm-backports\n'
            'Components: main\n'
            '\n'
            'Types: deb\n'
            'URIs: http://deb.debian.org/debian-security\n'
            'Suites: bookworm-security\n',
            debian.with_suite(self.SOURCES, 'bookworm',
                              'bookworm-backports'))

    def test_no_such_suite(self):
        with self.assertRaises(debian.DebianError):
            debian.with_suite(self.SOURCES, 'trixie', 'trixie-backports')


class TestInstall(base.RepoTestCase):

    def setUp(self):
        super().setUp()
        self.state = self.top / 'state'
        self.state.mkdir()
        bin_dir = self.top / 'bin'
        for name, text in (('dpkg-query', FAKE_DPKG_QUERY),
                           ('apt-get', FAKE_APT_GET)):
            os.chmod(self.write('bin/' + name, text), 0o755)
        self.policy = self.top / 'policy-rc.d'
        patcher = mock.patch.dict(os.environ, {
            'PATH': '%s:%s' % (bin_dir, os.environ['PATH']),
            'STATE': str(self.state), 'POLICY': str(self.policy)})
        patcher.start()
        self.addCleanup(patcher.stop)
        patcher = mock.patch.object(debian, 'POLICY_RC_D', str(self.policy))
        patcher.start()
        self.addCleanup(patcher.stop)
        self.write('state/installed', 'there\n')
        self.log = str(self.top / 'apt.log')
        patcher = mock.patch('os.geteuid', return_value=0)
        patcher.start()
        self.addCleanup(patcher.stop)

    def calls(self):
        try:
            return (self.state / 'calls').read_text().splitlines()
        except FileNotFoundError:
            return []

    def test_nothing_missing_nothing_run(self):
        self.assertEqual([], debian.install(['there'], self.log))
        self.assertEqual([], self.calls())

    def test_retries_once_after_an_update(self):
        self.assertEqual(['a', 'b'], debian.install(['there', 'a', 'b'],
                                                    self.log))
        self.assertEqual(
            ['apt-get -q install -y --no-install-recommends a b',
             'apt-get -q update',
             'apt-get -q install -y --no-install-recommends a b'],
            self.calls())
        self.assertEqual([], debian.missing(['a', 'b', 'there']))

    def test_names_what_is_still_missing(self):
        with self.assertRaises(debian.DebianError) as raised:
            debian.install(['a', 'broken'], self.log)
        self.assertEqual('cannot install the Debian packages: broken (see '
                         '%s)' % self.log, str(raised.exception))

    def test_not_root(self):
        with mock.patch('os.geteuid', return_value=1000):
            with self.assertRaises(debian.DebianError) as raised:
                debian.install(['there', 'a'], self.log)
        self.assertEqual('missing Debian packages: a (run as root to '
                         'install them)', str(raised.exception))
        self.assertEqual([], self.calls())

    def policy_seen(self):
        try:
            return (self.state / 'policy').read_text()
        except FileNotFoundError:
            return None

    def test_daemons_start_by_default(self):
        debian.install(['a'], self.log)
        self.assertIsNone(self.policy_seen())

    def test_daemons_held_back_then_policy_removed(self):
        debian.install(['a'], self.log, start_daemons=False)
        # Both apt-get install runs (before and after the update).
        self.assertEqual(debian.FORBID_ALL * 2, self.policy_seen())
        self.assertFalse(self.policy.exists())

    def test_policy_removed_when_install_fails(self):
        with self.assertRaises(debian.DebianError):
            debian.install(['broken'], self.log, start_daemons=False)
        self.assertEqual(debian.FORBID_ALL * 2, self.policy_seen())
        self.assertFalse(self.policy.exists())

    def test_the_machines_own_policy_stays(self):
        self.policy.write_text('#!/bin/sh\nexit 0\n')
        debian.install(['a'], self.log, start_daemons=False)
        self.assertEqual('#!/bin/sh\nexit 0\n' * 2, self.policy_seen())
        self.assertEqual('#!/bin/sh\nexit 0\n', self.policy.read_text())
