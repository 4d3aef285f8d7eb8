# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""The plugin on every OpenStack release and Python: see
tools/release-matrix.
"""

import pathlib
import subprocess
import time

from vrtools import layout
from vrtools import pythons
from vrtools import releases
from vrtools import run_tests

EVERYTHING = (r'^os_vif_translate\.tests|'
              r'^os_vif_vrouter\.tests\.(unit|integration)')


def cell_result(log, counts):
    """What a cell's run gave, in words.

    :param log: the text of its log
    :param counts: run_tests.counts() of its environment
    """
    # stestr's repository is the checkout's, shared by every cell: a run
    # whose discovery failed leaves the previous cell's counts.
    if 'Failures during discovery' in log:
        return 'import fails'
    if counts is None:
        return 'no env'
    return '%d passed, %d failed' % counts


def run_cell(release, version, logs, top):
    """One cell: the release's plugin-<series> environment on a Python,
    in an environment directory of its own.
    """
    env = 'plugin-' + release.series
    cell = '%s-py%s' % (env, version.replace('.', ''))
    log = logs / (cell + '.log')
    run_tests.results_file(env, top).unlink(missing_ok=True)
    start = time.monotonic()
    if pythons.python_for(version) is None:
        log.write_text('release-matrix: no python%s\n' % version)
        returncode = 1
    else:
        with open(log, 'w') as out:
            returncode = subprocess.run(
                [str(run_tests.tox(top)), '-e', env,
                 '-x', 'testenv:%s.basepython=python%s' % (env, version),
                 '-x', 'testenv:%s.env_dir={toxworkdir}/%s' % (env, cell),
                 '--', EVERYTHING], cwd=top, stdout=out,
                stderr=subprocess.STDOUT, check=False).returncode
    result = cell_result(log.read_text(errors='replace'),
                         run_tests.counts(env, returncode, top))
    return result, time.monotonic() - start, log


def main(wanted=(), top=layout.TOP):
    if not run_tests.bootstrap(top):
        print('cannot install tox')
        return 1
    pythons.on_path(top)
    logs = pathlib.Path(top) / '.tox' / 'release-matrix'
    logs.mkdir(parents=True, exist_ok=True)
    (pathlib.Path(top) / '.results').mkdir(exist_ok=True)
    table = []
    for release in releases.openstack_releases(top):
        if wanted and release.series not in wanted:
            continue
        for version in pythons.wanted():
            declared = 'yes' if version in release.pythons else 'no'
            result, elapsed, log = run_cell(release, version, logs, top)
            print('%s (nova %s) python%s: %s (%ds, declared: %s; log %s)' % (
                release.series, release.nova, version, result, elapsed,
                declared, log.relative_to(top)), flush=True)
            table.append((release.series, version, result,
                          '%ds' % elapsed, declared))
    print()
    row = '%-8s %-7s %-26s %-6s %s'
    print(row % ('series', 'python', 'result', 'wall', 'declared'))
    for cells in table:
        print(row % cells)
    return 0
