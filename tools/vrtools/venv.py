# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Python environments whose packages are installed once per key.

install() does the step every job repeats: hash what an environment is
built from, compare with the stamp in it, and only if they differ
(re)build it and pip install into it.  The key covers the pip arguments,
the files they name with -c and -r, the files the caller adds (say, a
pyproject.toml of a package installed from this checkout), the patched
Nova tree it holds (vrtools.stamp.tree_key: one key for one tree,
wherever it is installed), and for a copy, the environment copied.
"""

import pathlib
import shutil
import subprocess

from vrtools import layout
from vrtools import stamp

# What pip gets before the step's own arguments.
PIP_INSTALL = ('-m', 'pip', 'install', '--quiet',
               '--disable-pip-version-check')

_FILE_OPTIONS = ('-c', '--constraint', '-r', '--requirement')


class VenvError(Exception):
    pass


def named_files(pip_args):
    """The files a pip command line names with -c and -r."""
    files = []
    args = [str(arg) for arg in pip_args]
    for i, arg in enumerate(args):
        if arg in _FILE_OPTIONS and i + 1 < len(args):
            files.append(args[i + 1])
        elif arg.startswith('--') and arg.split('=', 1)[0] in _FILE_OPTIONS:
            files.append(arg.split('=', 1)[1])
        elif arg[:2] in ('-c', '-r') and len(arg) > 2:
            files.append(arg[2:])
    return [pathlib.Path(f) for f in files]


def key_of(steps, key_files=(), release=None, build_tree=None,
           copy_of=None, create=None, pristine=False):
    """The key of an environment: see the module docstring.

    Files that the tree being built holds are left out: the tree's own key
    covers them.
    """
    key = stamp.Key().word(create or '').word(len(steps))
    if pristine:
        key.word('pristine')
    for args in steps:
        key.word(len(args))
        for arg in args:
            key.word(arg)
        for path in named_files(args):
            if build_tree is None or not _below(path, build_tree):
                key.file(path)
    for path in key_files:
        key.word(path).file(path)
    if release is not None:
        key.word(stamp.tree_key(release))
    if copy_of is not None:
        key.word(stamp.Stamp(pathlib.Path(copy_of) / '.inputs').read())
    return key.hexdigest()


def _below(path, directory):
    try:
        pathlib.Path(path).resolve().relative_to(
            pathlib.Path(directory).resolve())
    except ValueError:
        return False
    return True


def _run(argv, log, what):
    try:
        if log is None:
            result = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                    check=False)
        else:
            with open(log, 'a') as out:
                result = subprocess.run(argv, stdin=subprocess.DEVNULL,
                                        stdout=out,
                                        stderr=subprocess.STDOUT,
                                        check=False)
    except OSError as exc:
        raise VenvError('%s failed: %s' % (what, exc))
    if result.returncode != 0:
        raise VenvError('%s failed%s' % (
            what, '' if log is None else ' (see %s)' % log))


def install(env, steps, stamp_name='.inputs', create=None, copy_of=None,
            release=None, build_tree=None, pristine=False, key_files=(),
            pip_check=False, log=None):
    """Bring an environment up to date, unless its stamp has the key.

    :param env: the environment's directory
    :param steps: pip install argument lists, run in order
    :param create: an interpreter: (re)create env with its venv module
    :param copy_of: an environment made by install(): env starts as a
        copy of it
    :param release: the NovaRelease whose patched tree env holds
    :param build_tree: build that tree here first (tools/nova-tree)
    :param pristine: the tree without the series (stock Nova)
    :param key_files: more files the key covers
    :param pip_check: run pip check at the end
    :param log: append the commands' output there (default: inherit)
    :returns: whether anything was done
    :raises: VenvError naming the step that failed
    """
    env = pathlib.Path(env)
    steps = [[str(arg) for arg in args] for args in steps]
    key = key_of(steps, key_files=key_files, release=release,
                 build_tree=build_tree, copy_of=copy_of, create=create,
                 pristine=pristine)
    env_stamp = stamp.Stamp(env / stamp_name)
    if env_stamp.matches(key):
        return False
    if build_tree is not None:
        _run([str(layout.tools(release.top) / 'nova-tree'), '--release',
              release.version] + (['--pristine'] if pristine else []) +
             [str(build_tree)], log,
             'building the %s Nova tree' % ('pristine' if pristine
                                            else 'patched'))
    if create is not None:
        shutil.rmtree(env, ignore_errors=True)
        _run([create, '-m', 'venv', str(env)], log,
             'making the virtualenv %s' % env)
    elif copy_of is not None:
        shutil.rmtree(env, ignore_errors=True)
        shutil.copytree(copy_of, env, symlinks=True)
        (env / '.inputs').unlink(missing_ok=True)
    python = str(env / 'bin' / 'python')
    for args in steps:
        _run([python] + list(PIP_INSTALL) + list(args), log,
             'pip install into %s' % env)
    if pip_check:
        _run([python, '-m', 'pip', 'check'], log,
             'pip check: conflicting requirements')
    env_stamp.write(key)
    return True
