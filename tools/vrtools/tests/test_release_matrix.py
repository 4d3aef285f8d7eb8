# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import unittest

from vrtools import release_matrix


class TestCellResult(unittest.TestCase):

    def test_counts(self):
        self.assertEqual('12 passed, 0 failed',
                         release_matrix.cell_result('', (12, 0)))

    def test_no_environment(self):
        self.assertEqual('no env', release_matrix.cell_result('', None))

    def test_discovery_failed(self):
        # The counts are the previous cell's then.
        self.assertEqual('import fails', release_matrix.cell_result(
            'Failures during discovery\n', (12, 0)))
