# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Run the project's suites as CI does: see tools/run-tests."""

import os
import pathlib
import shutil
import subprocess
import time

from vrtools import layout
from vrtools import pythons
from vrtools import releases

TOX_VERSION = '4.67.15'
# The interpreter of tox's own virtualenv.
TOX_PYTHON = 'python3.11'

BEFORE_RELEASES = ('pep8', 'tools', 'py3', 'package', 'kolla')
AFTER_RELEASES = ('functional', 'tempest', 'devstack', 'docs')


def nova_envs(top=layout.TOP):
    """The nova job of every release of patches/releases: nova for the
    default release, nova-<release> for the others.
    """
    default, *others = releases.nova_releases(top)
    return ['nova'] + ['nova-' + release for release in others]


def plugin_envs(top=layout.TOP, every=False):
    """floors, and plugin-<series> for the oldest and the newest release
    of tools/openstack-releases (every: for each release).
    """
    series = [r.series for r in releases.openstack_releases(top)]
    if not every:
        series = sorted({series[0], series[-1]}, key=series.index)
    return ['floors'] + ['plugin-' + s for s in series]


def ci_envs(top=layout.TOP):
    return (list(BEFORE_RELEASES) + plugin_envs(top) + nova_envs(top) +
            list(AFTER_RELEASES))


def selection(argument, top=layout.TOP):
    """The tox environments to run for the command's argument, and what
    to set in the environment for them.
    """
    if not argument:
        return ci_envs(top), {}
    if argument == 'nova-full':
        # The releases between the newest and the oldest run only their
        # vRouter tests by default (tools/nova-job --vrouter-only).
        return nova_envs(top), {'NOVA_JOB_FULL': '1'}
    if argument == 'nova-functional':
        # The series' check and the step 5 of tools/nova-job alone.
        return nova_envs(top), {'NOVA_JOB_FUNCTIONAL': 'only'}
    if argument == 'plugin-all':
        return plugin_envs(top, every=True), {}
    return argument.split(','), {}


def tox(top=layout.TOP):
    return pathlib.Path(top) / '.tox-bootstrap' / 'bin' / 'tox'


def bootstrap(top=layout.TOP):
    """tox in .tox-bootstrap/, at TOX_VERSION; whether it is there."""
    version = subprocess.run([str(tox(top)), '--version'],
                             capture_output=True, text=True,
                             check=False) if tox(top).exists() else None
    if version is not None and version.stdout.startswith(TOX_VERSION + ' '):
        return True
    directory = tox(top).parent.parent
    shutil.rmtree(directory, ignore_errors=True)
    return (subprocess.run([TOX_PYTHON, '-m', 'venv', str(directory)],
                           check=False).returncode == 0 and
            subprocess.run([str(directory / 'bin' / 'pip'), 'install', '-q',
                            '--disable-pip-version-check',
                            'tox==%s' % TOX_VERSION],
                           check=False).returncode == 0)


def results_file(env, top=layout.TOP):
    return pathlib.Path(top) / '.results' / env


def counts(env, returncode, top=layout.TOP):
    """(passed, failed) of an environment's run, or None if it left no
    results (tools/record-results writes them).  A run whose tests passed
    but that still failed (say, the series check inside the nova job)
    is one more failure.
    """
    try:
        passed, failed = (int(n) for n in
                          results_file(env, top).read_text().split())
    except FileNotFoundError:
        return None
    if returncode != 0 and failed == 0:
        failed = 1
    return passed, failed


def run(envs, top=layout.TOP):
    """Run each environment; print a line each and the sums; whether
    nothing failed.  A suite that is not a test run (pep8) counts as one
    check; a suite that fails before its tests ran, as one failure.
    """
    pythons.on_path(top)
    shutil.rmtree(pathlib.Path(top) / '.results', ignore_errors=True)
    (pathlib.Path(top) / '.results').mkdir()
    total_passed = total_failed = 0
    for env in envs:
        start = time.monotonic()
        returncode = subprocess.run([str(tox(top)), '-e', env], cwd=top,
                                    check=False).returncode
        elapsed = time.monotonic() - start
        found = counts(env, returncode, top)
        if found is None:
            found = (1, 0) if returncode == 0 else (0, 1)
        passed, failed = found
        print('== %s: %d passed, %d failed (exit %d, %ds)' % (
            env, passed, failed, returncode, elapsed), flush=True)
        total_passed += passed
        total_failed += failed
    print('%d passed, %d failed' % (total_passed, total_failed))
    return total_failed == 0


def main(argument=None, top=layout.TOP):
    envs, environ = selection(argument, top)
    if not bootstrap(top):
        print('cannot install tox')
        return 1
    os.environ.update(environ)
    return 0 if run(envs, top) else 1
