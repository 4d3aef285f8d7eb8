# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""The subcommands shell scripts call: python3 tools/vrtools SUBCOMMAND.

  nova-releases                  every release of patches/releases, the
                                 default first, one a line
  nova-release [RELEASE]         shell assignments for one release (none or
                                 '': the default): NOVA_RELEASE,
                                 NOVA_VERSION, NOVA_SDIST_SHA256,
                                 PATCH_DIR, NOVA_TREE, NOVA_IS_DEFAULT
                                 (1 or 0), NOVA_CONSTRAINTS
  nova-sdist [RELEASE]           the path of the release's PyPI sdist in
                                 .nova-build/cache, downloaded if missing
                                 and checked against its nova-base
  packages JOB...                the Debian packages of jobs (vrtools.debian)
  apt-install [--log F] JOB...   install what is missing of them
  apt-sources SUITE ADDED FILE...
                                 deb822 apt sources (the files) with the
                                 suite ADDED beside SUITE
  installed absent | installed wheel NAME
                                 (with an environment's interpreter) it has
                                 no vRouter plugin, or it has this
                                 distribution's wheel NAME alone, loaded
                                 by os-vif (vrtools.installed)
  test-lists SUBUNIT PREFIX      (with an environment that has stestr) the
                                 tests of a subunit stream, by outcome,
                                 into PREFIX.passed, .skipped, .failed
  venv ENV [options] -- PIP_ARGS pip install PIP_ARGS into the environment
                                 ENV unless its stamp has their key
                                 (vrtools.venv; see venv --help)
"""

import argparse
import shlex
import sys

from vrtools import debian
from vrtools import installed
from vrtools import releases
from vrtools import sdist
from vrtools import venv


def _nova_releases(args):
    for release in releases.nova_releases():
        print(release)


def _nova_release(args):
    release = releases.nova_release(args.release)
    values = {
        'NOVA_RELEASE': release.version,
        'NOVA_VERSION': release.version,
        'NOVA_SDIST_SHA256': release.sdist_sha256,
        'PATCH_DIR': release.patch_dir,
        'NOVA_TREE': release.tree,
        'NOVA_IS_DEFAULT': int(release.is_default),
        'NOVA_CONSTRAINTS': release.constraints,
    }
    for name, value in values.items():
        print('%s=%s' % (name, shlex.quote(str(value))))


def _nova_sdist(args):
    release = releases.nova_release(args.release)
    print(sdist.nova(release.version, sha256=release.sdist_sha256))


def _packages(args):
    print(' '.join(debian.packages(*args.jobs)))


def _apt_install(args):
    wanted = debian.packages(*args.jobs)
    missing = debian.missing(wanted)
    if missing:
        print('apt-install: installing %s' % ' '.join(missing), flush=True)
        debian.install(missing, args.log)


def _apt_sources(args):
    text = ''
    for path in args.files:
        with open(path) as f:
            text += f.read().rstrip('\n') + '\n\n'
    sys.stdout.write(debian.with_suite(text, args.suite, args.added))


def _installed(args):
    if args.what == 'absent':
        print(installed.absent())
    else:
        print(installed.wheel(args.name))


def _test_lists(args):
    # Only where stestr is: it brings python-subunit and testtools.
    from vrtools import results
    with open(args.subunit, 'rb') as f:
        results.write_lists(f.read(), args.prefix)


def _venv(args):
    release = None
    if args.nova is not None:
        release = releases.nova_release(args.nova)
    done = venv.install(args.env, [args.pip_args], stamp_name=args.stamp,
                        create=args.create, copy_of=args.copy_of,
                        release=release, build_tree=args.build_tree,
                        key_files=args.key, log=args.log)
    print('venv: %s %s' % (args.env, 'installed' if done else 'up to date'))


def parser():
    top = argparse.ArgumentParser(
        prog='vrtools', description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n', 1)[1])
    commands = top.add_subparsers(dest='command', required=True)

    command = commands.add_parser('nova-releases')
    command.set_defaults(run=_nova_releases)

    for name, run in (('nova-release', _nova_release),
                      ('nova-sdist', _nova_sdist)):
        command = commands.add_parser(name)
        command.add_argument('release', nargs='?', default='')
        command.set_defaults(run=run)

    command = commands.add_parser('packages')
    command.add_argument('jobs', nargs='+', metavar='JOB')
    command.set_defaults(run=_packages)

    command = commands.add_parser('apt-install')
    command.add_argument('--log', default='/dev/null',
                         help="apt-get's output (default: none)")
    command.add_argument('jobs', nargs='+', metavar='JOB')
    command.set_defaults(run=_apt_install)

    command = commands.add_parser('apt-sources')
    command.add_argument('suite')
    command.add_argument('added')
    command.add_argument('files', nargs='*', metavar='FILE')
    command.set_defaults(run=_apt_sources)

    command = commands.add_parser('installed')
    checks = command.add_subparsers(dest='what', required=True)
    checks.add_parser('absent')
    checks.add_parser('wheel').add_argument('name')
    command.set_defaults(run=_installed)

    command = commands.add_parser('test-lists')
    command.add_argument('subunit')
    command.add_argument('prefix')
    command.set_defaults(run=_test_lists)

    command = commands.add_parser(
        'venv', description=venv.__doc__.split('\n')[0])
    command.add_argument('env', metavar='ENV')
    how = command.add_mutually_exclusive_group()
    how.add_argument('--create', metavar='PYTHON',
                     help='(re)create ENV with this interpreter first')
    how.add_argument('--copy-of', metavar='ENV',
                     help='start from a copy of this environment')
    command.add_argument('--nova', metavar='RELEASE',
                         help="ENV holds this release's patched tree ('': "
                              "the default)")
    command.add_argument('--build-tree', metavar='DIR',
                         help='build that tree there first')
    command.add_argument('--stamp', default='.inputs',
                         help='the stamp file in ENV (default: .inputs)')
    command.add_argument('--key', action='append', default=[],
                         metavar='FILE', help='a file the key covers')
    command.add_argument('--log', help="pip's output (default: inherited)")
    command.set_defaults(run=_venv)
    return top


# What a subcommand raises when it cannot do its job: one line on stderr,
# no traceback.
ERRORS = (releases.ReleaseError, sdist.SdistError, debian.DebianError,
          venv.VenvError, installed.NotAsExpected)


def parse(argv):
    """The arguments; what follows '--' is pip's (venv)."""
    if '--' in argv:
        split = argv.index('--')
        argv, pip_args = argv[:split], argv[split + 1:]
    else:
        pip_args = []
    args = parser().parse_args(argv)
    args.pip_args = pip_args
    return args


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        return args.run(args) or 0
    except ERRORS as exc:
        print('%s: %s' % (args.command, exc), file=sys.stderr)
        return 1
