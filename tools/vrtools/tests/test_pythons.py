# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import os
from unittest import mock

from vrtools import pythons
from vrtools.tests import base


class TestPyenv(base.RepoTestCase):

    def setUp(self):
        super().setUp()
        for release in ('3.9.2', '3.9.18', '3.9.10', '3.10.13'):
            python = self.write(
                'pyenv/versions/%s/bin/python%s' % (
                    release, release.rsplit('.', 1)[0]),
                '#!/bin/sh\n')
            os.chmod(python, 0o755)

    def test_the_newest_of_a_version(self):
        self.assertEqual(
            self.top / 'pyenv/versions/3.9.18/bin/python3.9',
            pythons.pyenv_python('3.9', self.top / 'pyenv'))
        self.assertIsNone(pythons.pyenv_python('3.13', self.top / 'pyenv'))

    def test_shims_first_on_the_path_for_what_does_not_run(self):
        environ = {'PATH': '/nonexistent', 'PYENV_ROOT':
                   str(self.top / 'pyenv'), 'PYTHONS': '3.9 3.10 3.13'}
        with mock.patch.dict(os.environ, environ):
            pythons.on_path(self.top)
            self.assertEqual(str(self.top / '.tox-bootstrap/pythons'),
                             os.environ['PATH'].split(os.pathsep)[0])
            pythons.on_path(self.top)
            self.assertEqual(1, os.environ['PATH'].count('pythons'))
        shims = self.top / '.tox-bootstrap' / 'pythons'
        self.assertEqual(['python3.10', 'python3.9'],
                         sorted(os.listdir(shims)))
        self.assertEqual('#!/bin/sh\nexec %s "$@"\n'
                         % (self.top / 'pyenv/versions/3.9.18/bin/'
                            'python3.9'),
                         (shims / 'python3.9').read_text())
