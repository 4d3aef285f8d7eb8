# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import contextlib
import io
import subprocess
import unittest

from vrtools import cli
from vrtools import layout


class TestParse(unittest.TestCase):

    def test_venv_options_then_pip_arguments(self):
        args = cli.parse(['venv', 'ENV', '--stamp', '.s', '--nova', '',
                          '--build-tree', 'T', '--key', 'a', '--key', 'b',
                          '--', '-c', 'c.txt', '--no-deps', 'pkg'])
        self.assertEqual(('ENV', '.s', '', 'T', ['a', 'b']),
                         (args.env, args.stamp, args.nova, args.build_tree,
                          args.key))
        self.assertEqual(['-c', 'c.txt', '--no-deps', 'pkg'], args.pip_args)

    def test_create_or_copy_not_both(self):
        with contextlib.redirect_stderr(io.StringIO()):
            with self.assertRaises(SystemExit):
                cli.parse(['venv', 'E', '--create', 'python3', '--copy-of',
                           'F', '--', 'pkg'])


class TestNovaRelease(unittest.TestCase):

    def test_shell_assignments(self):
        # What tools/nova-release.sh evaluates.
        shell = subprocess.run(
            ['bash', '-c', 'eval "$(python3 "$1" nova-release)" && '
             'echo "$NOVA_RELEASE $NOVA_IS_DEFAULT $PATCH_DIR"', 'bash',
             str(layout.TOP / 'tools' / 'vrtools')],
            capture_output=True, text=True, check=True).stdout.split()
        self.assertEqual('1', shell[1])
        self.assertEqual(str(layout.TOP / 'patches' / shell[0]), shell[2])

    def test_unknown_release(self):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertEqual(1, cli.main(['nova-release', '1.0']))
        self.assertTrue(stderr.getvalue().startswith(
            'nova-release: no series for nova 1.0'))
