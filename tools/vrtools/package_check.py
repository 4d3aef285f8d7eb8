# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""The distribution as operators get it: see tools/package-check."""

import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

from vrtools import layout
from vrtools import say

# What the sdist must carry: the wheel's dependencies come from
# requirements.txt (dynamic metadata).
SDIST_FILES = ('requirements.txt', 'README.md', 'pyproject.toml')


def is_test_helper(name):
    """Whether a file of the wheel is one of the test tree's helpers
    (testing/), which are no part of what operators install.
    """
    return (name.startswith('vrouter_testing') or
            name.rsplit('/', 1)[-1] == 'agent_stand_in.py')


class PackageError(Exception):
    pass


def _run(*argv, **kwargs):
    if subprocess.run(argv, check=False, **kwargs).returncode != 0:
        raise PackageError('%s failed' % ' '.join(str(a) for a in argv))


def _one(paths):
    paths = list(paths)
    if len(paths) != 1:
        raise PackageError('one file expected: %s' % paths)
    return paths[0]


def check_sdist(sdist):
    with tarfile.open(sdist) as archive:
        names = {name.split('/', 1)[-1] for name in archive.getnames()}
    for name in SDIST_FILES:
        if name not in names:
            raise PackageError('%s is not in %s' % (name, sdist.name))


def check_wheel_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    shipped = [name for name in names if is_test_helper(name)]
    if shipped:
        raise PackageError('%s ships test helpers: %s' % (
            wheel.name, ', '.join(shipped)))


def main(constraints=None, top=layout.TOP):
    speaker = say.Speaker('package-check')
    constraints = constraints or layout.tools(top) / 'constraints.txt'
    dist = top / '.tox' / 'package-dist'
    shutil.rmtree(dist, ignore_errors=True)
    try:
        _run(sys.executable, '-m', 'build', '--outdir', dist, top)
        sdist = _one(dist.glob('*.tar.gz'))
        wheel = _one(dist.glob('*.whl'))
        _run(sys.executable, '-m', 'twine', 'check', '--strict', sdist,
             wheel)
        check_sdist(sdist)
        check_wheel_files(wheel)
        with tempfile.TemporaryDirectory() as env:
            env = pathlib.Path(env)
            _run(sys.executable, '-m', 'venv', env)
            _run(env / 'bin' / 'pip', 'install', '--quiet',
                 '--disable-pip-version-check', '-c', constraints, wheel)
            # The environment's interpreter, from its own directory: the
            # source tree (and its nova/ mirror) must not be on the path.
            _run(env / 'bin' / 'python', layout.tools(top) / 'vrtools',
                 'installed', 'wheel', wheel.name, cwd=env)
            for command in ('vrouter-port-control', 'vrouter-port-audit'):
                _run(env / 'bin' / command, '--help',
                     stdout=subprocess.DEVNULL)
    except PackageError as exc:
        return speaker.fail(str(exc))
    speaker('%s and %s pass twine check; no test helpers in the wheel; '
            'the commands run' % (sdist.name, wheel.name))
    return 0
