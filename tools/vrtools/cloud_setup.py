# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Prepare this machine for the test cloud: see tools/cloud-setup."""

import argparse
import os
import shutil
import subprocess

from vrtools import debian
from vrtools import guest
from vrtools import layout
from vrtools import releases
from vrtools import say
from vrtools import venv

# The cloud's services and tools, beside the patched Nova and this
# distribution in its virtualenv.
SERVICES = ('keystone', 'openstack-placement', 'glance', 'neutron',
            'neutron-lib', 'tempest', 'python-openstackclient', 'gunicorn',
            'PyMySQL', 'libvirt-python')

PYTHON = 'python3.11'

# The cloud-operations job's in-place upgrade (vrouter_cloud.operations
# .upgrade knows these names too): the virtualenv of a node that starts
# on stock Nova with the vendor's plugin, and the wheels its upgrade
# installs and its way back reinstalls, without an index.
STOCK_VENV = 'venv-stock'
UPGRADE_WHEELS = 'upgrade-wheels'


class WheelError(Exception):
    pass


def build_dir(top=layout.TOP):
    return top / '.cloud-build'


def virtualenv(top, log):
    """The cloud's virtualenv: whether it was (re)built."""
    build = build_dir(top)
    tree = build / 'nova-tree'
    tools = layout.tools(top)
    steps = [
        # This distribution in development mode, as the test trees: the
        # cloud runs the checkout as it is (the key does not cover the
        # sources; a copy would go stale at the first change).
        ['-c', str(tools / 'constraints.txt'),
         '-c', str(tools / 'constraints-cloud.txt'),
         '-r', str(tree / 'requirements.txt'), str(tree), '-e', str(top)] +
        list(SERVICES),
        ['--no-deps', '-e', str(top / 'cloud'), '-e', str(top / 'testing')],
    ]
    return venv.install(
        build / 'venv', steps, create=PYTHON,
        release=releases.nova_release(top=top), build_tree=tree,
        key_files=[top / 'requirements.txt', top / 'pyproject.toml',
                   top / 'cloud' / 'pyproject.toml',
                   top / 'testing' / 'pyproject.toml'],
        pip_check=True, log=log)


def _vendor_fixture(top):
    return top / 'nova_tests' / 'vendor_fixture'


def stock_virtualenv(top, log):
    """Stock Nova of the default release with the vendor's plugin (the
    test tree's fixture), not this distribution: whether it was (re)built.
    """
    build = build_dir(top)
    tree = build / 'nova-stock-tree'
    fixture = _vendor_fixture(top)
    steps = [
        ['-c', str(layout.tools(top) / 'constraints.txt'),
         '-r', str(tree / 'requirements.txt'), str(tree), 'libvirt-python'],
        ['--no-deps', str(fixture)],
    ]
    return venv.install(
        build / STOCK_VENV, steps, create=PYTHON,
        release=releases.nova_release(top=top), build_tree=tree,
        pristine=True,
        key_files=[fixture / 'pyproject.toml'] +
        sorted(fixture.glob('vif_plug_*/*.py')),
        pip_check=True, log=log)


def upgrade_wheels(top, log):
    """The wheels of this checkout and of the vendor's fixture, built
    again every time (the checkout changes without a key).
    """
    wheels = build_dir(top) / UPGRADE_WHEELS
    shutil.rmtree(wheels, ignore_errors=True)
    python = build_dir(top) / STOCK_VENV / 'bin' / 'python'
    with open(log, 'a') as out:
        result = subprocess.run(
            [str(python), '-m', 'pip', 'wheel', '--quiet',
             '--disable-pip-version-check', '--no-deps', '--wheel-dir',
             str(wheels), str(top), str(_vendor_fixture(top))],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            check=False)
    if result.returncode != 0:
        raise WheelError('cannot build the upgrade\'s wheels (see %s)' % log)


def main(argv=None, top=layout.TOP):
    parser = argparse.ArgumentParser(prog='cloud-setup')
    parser.add_argument('--stock-nova', action='store_true',
                        help='also the stock Nova virtualenv and the '
                             'wheels of the cloud-operations job\'s '
                             'in-place upgrade')
    args = parser.parse_args(argv)
    speaker = say.Speaker('cloud-setup')
    if os.geteuid() != 0:
        return speaker.fail('run as root (apt-get, libvirt, the datapath)')
    build = build_dir(top)
    build.mkdir(parents=True, exist_ok=True)
    log = build / 'setup.log'
    log.write_text('')
    try:
        # The cloud starts its own MariaDB, RabbitMQ and sshd.
        installed = debian.install(debian.packages('cloud'), log,
                                   start_daemons=False)
        speaker.step('Debian packages:',
                     'installed %s,' % ' '.join(installed) if installed
                     else 'installed already,')
        rebuilt = virtualenv(top, log)
        speaker.step('virtualenv:', 'rebuilt,' if rebuilt else 'up to date,')
        kernel, built = guest.build(build / 'guest', log, top=top)
        speaker.step('guest: %s,' % kernel, 'built,' if built else
                     'up to date,')
        if args.stock_nova:
            rebuilt = stock_virtualenv(top, log)
            speaker.step('stock Nova virtualenv:',
                         'rebuilt,' if rebuilt else 'up to date,')
            upgrade_wheels(top, log)
            speaker.step('upgrade wheels:', 'built,')
    except (debian.DebianError, venv.VenvError, guest.GuestError,
            releases.ReleaseError, WheelError) as exc:
        return speaker.fail(str(exc))
    return 0
