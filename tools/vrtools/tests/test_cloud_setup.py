# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import os
from unittest import mock

from vrtools import cloud_setup
from vrtools.tests import base

# A python that records how it was called, and fails when told to.
FAKE_PYTHON = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../calls"
[ -e "$(dirname "$0")/../fail" ] && exit 1
exit 0
"""


class TestStockNova(base.RepoTestCase):

    def setUp(self):
        super().setUp()
        self.fixture = 'nova_tests/vendor_fixture/'
        self.write(self.fixture + 'pyproject.toml', '[project]\n')
        self.write(self.fixture + 'vif_plug_vrouter/vrouter.py', '')
        self.stock = self.top / '.cloud-build' / cloud_setup.STOCK_VENV
        self.log = self.top / 'log'

    def test_stock_nova_and_the_vendor_fixture_not_this_distribution(self):
        with mock.patch.object(cloud_setup.venv, 'install',
                               return_value=True) as install:
            self.assertTrue(cloud_setup.stock_virtualenv(self.top, self.log))
        (env, steps), kwargs = install.call_args
        self.assertEqual(self.stock, env)
        tree = self.top / '.cloud-build' / 'nova-stock-tree'
        self.assertEqual(tree, kwargs['build_tree'])
        self.assertTrue(kwargs['pristine'])
        self.assertEqual([
            ['-c', str(self.top / 'tools' / 'constraints.txt'),
             '-r', str(tree / 'requirements.txt'), str(tree),
             'libvirt-python'],
            ['--no-deps', str(self.top / self.fixture.rstrip('/'))]], steps)
        # A change of the fixture builds the virtualenv again.
        self.assertIn(self.top / self.fixture / 'vif_plug_vrouter' /
                      'vrouter.py', kwargs['key_files'])

    def _python(self):
        python = self.write('.cloud-build/%s/bin/python' %
                            cloud_setup.STOCK_VENV, FAKE_PYTHON)
        os.chmod(python, 0o755)

    def test_the_upgrade_wheels_again_every_time(self):
        self._python()
        wheels = self.top / '.cloud-build' / cloud_setup.UPGRADE_WHEELS
        self.write('.cloud-build/%s/old.whl' % cloud_setup.UPGRADE_WHEELS,
                   '')
        cloud_setup.upgrade_wheels(self.top, self.log)
        self.assertFalse((wheels / 'old.whl').exists())
        self.assertEqual(
            ['-m pip wheel --quiet --disable-pip-version-check --no-deps '
             '--wheel-dir %s %s %s' % (wheels, self.top,
                                       self.top / self.fixture.rstrip('/'))],
            (self.stock / 'calls').read_text().splitlines())

    def test_a_wheel_that_does_not_build(self):
        self._python()
        (self.stock / 'fail').write_text('')
        with self.assertRaises(cloud_setup.WheelError) as raised:
            cloud_setup.upgrade_wheels(self.top, self.log)
        self.assertIn('see %s' % self.log, str(raised.exception))
