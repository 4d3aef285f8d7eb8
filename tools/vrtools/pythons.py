# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Python 3.9 to 3.13 for tox, from the PATH or from pyenv.

on_path() makes python3.9 ... python3.13 runnable for tox: a version that
is not runnable from the PATH is looked for under pyenv
(``${PYENV_ROOT:-~/.pyenv}/versions/X.Y.*``, the newest), and
``.tox-bootstrap/pythons/pythonX.Y``, put first on the PATH, runs it
(pyenv's shims answer only for the selected version; an exec, not a
symlink, so that virtualenv sees the interpreter's own path).
"""

import os
import pathlib
import re
import shutil
import subprocess

from vrtools import layout

VERSIONS = ('3.9', '3.10', '3.11', '3.12', '3.13')


def wanted():
    """The versions to provide ($PYTHONS may name fewer)."""
    return tuple(os.environ.get('PYTHONS', ' '.join(VERSIONS)).split())


def runs(python):
    """Whether the interpreter (a name on the PATH or a path) runs."""
    path = shutil.which(python)
    return path is not None and subprocess.run(
        [path, '-c', ''], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, check=False).returncode == 0


def _release(path):
    """'.../versions/3.11.7/bin/python3.11' -> (3, 11, 7)."""
    match = re.search(r'/versions/(\d+(?:\.\d+)*)[^/]*/bin/', str(path))
    return tuple(int(n) for n in match.group(1).split('.'))


def pyenv_python(version, root=None):
    """The newest pyenv interpreter of a version, or None."""
    root = pathlib.Path(root or os.environ.get('PYENV_ROOT') or
                        pathlib.Path.home() / '.pyenv')
    found = list(root.glob('versions/%s.*/bin/python%s' % (version, version)))
    return max(found, key=_release) if found else None


def on_path(top=layout.TOP):
    """Make every wanted version runnable from the PATH (see the module
    docstring); sets os.environ['PATH'] for this process and its
    children.
    """
    shims = pathlib.Path(top) / '.tox-bootstrap' / 'pythons'
    shims.mkdir(parents=True, exist_ok=True)
    for version in wanted():
        shim = shims / ('python' + version)
        if shim.exists():
            shim.unlink()
        if runs('python' + version):
            continue
        found = pyenv_python(version)
        if found is None:
            continue
        shim.write_text('#!/bin/sh\nexec %s "$@"\n' % found)
        shim.chmod(0o755)
    path = os.environ.get('PATH', '').split(os.pathsep)
    if str(shims) not in path:
        os.environ['PATH'] = os.pathsep.join([str(shims)] + path)


def python_for(version):
    """The interpreter used for a version, or None."""
    python = 'python' + version
    return shutil.which(python) if runs(python) else None
