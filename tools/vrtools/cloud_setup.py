# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Prepare this machine for the test cloud: see tools/cloud-setup."""

import os

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


def main(top=layout.TOP):
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
    except (debian.DebianError, venv.VenvError, guest.GuestError,
            releases.ReleaseError) as exc:
        return speaker.fail(str(exc))
    return 0
