# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import unittest

from vrtools import package_check


class TestTestHelpers(unittest.TestCase):

    def test_the_testing_package_and_the_stand_in(self):
        for name in ('vrouter_testing/__init__.py',
                     'vrouter_testing-0.1.0.dist-info/RECORD',
                     'os_vif_vrouter/tests/agent_stand_in.py'):
            self.assertTrue(package_check.is_test_helper(name), name)

    def test_the_plugin_and_its_tests(self):
        for name in ('os_vif_vrouter/vrouter.py',
                     'os_vif_vrouter/tests/integration/'
                     'test_agent_stand_in.py'):
            self.assertFalse(package_check.is_test_helper(name), name)
