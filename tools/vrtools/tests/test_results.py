# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import io
import os
import shutil
import tempfile
import unittest

import subunit

from vrtools import results


def stream(*events):
    """A subunit v2 stream of (test id, status) events."""
    out = io.BytesIO()
    writer = subunit.StreamResultToBytes(out)
    writer.startTestRun()
    for test_id, status in events:
        writer.status(test_id=test_id, test_status=status)
    writer.stopTestRun()
    return out.getvalue()


class TestOutcomes(unittest.TestCase):

    def test_each_status(self):
        self.assertEqual(
            {'passed': ['a', 'b'], 'skipped': ['c'], 'failed': ['e', 'f'],
             'crashed': ['d']},
            results.outcomes(stream(
                ('b', 'success'), ('a', 'xfail'), ('c', 'skip'),
                ('f', 'fail'), ('e', 'uxsuccess'), ('d', 'inprogress'),
                ('listed', 'exists'))))

    def test_lists(self):
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        prefix = os.path.join(directory, 'run')
        results.write_lists(stream(('x', 'success'), ('y', 'fail'),
                                   ('z', 'inprogress')), prefix)
        with open(prefix + '.passed') as f:
            self.assertEqual('x\n', f.read())
        with open(prefix + '.skipped') as f:
            self.assertEqual('', f.read())
        with open(prefix + '.failed') as f:
            self.assertEqual('y\nz\n', f.read())
        self.assertFalse(os.path.exists(prefix + '.crashed'))
