# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""What the last stestr run of a directory gave, test by test.

Needs python-subunit and testtools (every environment with stestr has
them); imported by tools/record-results and by
``tools/vrtools test-lists`` (tools/nova-functional-sweep), not by the
rest of vrtools.

A test passed if it succeeded or failed as expected; it was skipped; it
failed (an error, a failure, an unexpected success); or it crashed: its
worker died before it had a result.  testtools' StreamSummary counts the
last two as errors.
"""

import io
import pathlib
import subprocess

import subunit
import testtools

PASSED = ('success', 'xfail')
SKIPPED = ('skip',)


def outcomes(stream):
    """{'passed': [test id], 'skipped': [...], 'failed': [...],
    'crashed': [...]}, sorted, of a subunit v2 stream (bytes).
    """
    lists = {'passed': [], 'skipped': [], 'failed': [], 'crashed': []}

    def record(test):
        if test['status'] == 'exists':
            return  # listed, not run
        if test['status'] in PASSED:
            lists['passed'].append(test['id'])
        elif test['status'] in SKIPPED:
            lists['skipped'].append(test['id'])
        elif test['status'] == 'inprogress':
            lists['crashed'].append(test['id'])
        else:
            lists['failed'].append(test['id'])

    result = testtools.StreamToDict(record)
    parsed = subunit.ByteStreamToStreamResult(io.BytesIO(stream),
                                              non_subunit_name='stdout')
    result.startTestRun()
    parsed.run(result)
    result.stopTestRun()
    return {status: sorted(ids) for status, ids in lists.items()}


def last_run(directory):
    """The subunit stream of the last stestr run in a directory, or None
    if it has none.
    """
    if not pathlib.Path(directory, '.stestr').is_dir():
        return None
    last = subprocess.run(['stestr', 'last', '--subunit'], cwd=directory,
                          capture_output=True, check=False)
    if last.returncode not in (0, 1) or not last.stdout:
        return None
    return last.stdout


def write_lists(stream, prefix):
    """PREFIX.passed, PREFIX.skipped and PREFIX.failed (the crashed tests
    with the failed ones): one test id a line.
    """
    lists = outcomes(stream)
    lists['failed'] = sorted(lists['failed'] + lists.pop('crashed'))
    for status, ids in lists.items():
        with open('%s.%s' % (prefix, status), 'w') as listing:
            listing.writelines('%s\n' % i for i in ids)
