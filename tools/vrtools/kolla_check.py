# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""This distribution in a Kolla-like nova-compute virtualenv: see
tools/kolla-check.

Each step runs nova_tests/stock_nova_plug.py with the virtualenv's
interpreter, prints its JSON report, and checks it.
"""

import json
import pathlib
import subprocess
import sys
import tempfile

from vrtools import layout
from vrtools import pythons
from vrtools import releases
from vrtools import say

PIP = ('-m', 'pip', '--disable-pip-version-check')

# The kernel and DPDK bindings (offload needs a representor: the
# plugin-<series> environments cover it).
BINDINGS = ('kernel', 'dpdk')

PLUGINS = ['contrail_vrouter', 'vrouter']


class CheckFailed(Exception):
    pass


def _names(report):
    return [entry[0] for entry in report['entry_points']]


def check_no_plugin(report):
    """Stock Nova alone: os-vif has no plugin for the vRouter objects."""
    if set(PLUGINS) & set(_names(report)):
        raise CheckFailed('a vRouter plugin without installing one: %s'
                          % _names(report))
    for name, binding in sorted(report['bindings'].items()):
        if not binding['plug'].startswith(('NoMatchingPlugin', 'KeyError')):
            raise CheckFailed('without a plugin, plug should fail with '
                              'NoMatchingPlugin: %s: %s' % (name, binding))


def check_both(report):
    """The vendor's plugin and this distribution: both claim both names
    (the installation guide's check); which plugin each object went to.
    """
    names = _names(report)
    for plugin in PLUGINS:
        if names.count(plugin) != 2:
            raise CheckFailed('both distributions should claim both names '
                              "(the guide's check): %s" % names)
    went = []
    for name, binding in sorted(report['bindings'].items()):
        if 'vendor fixture plugin' in binding['plug']:
            used = 'the vendor fixture'
        elif binding['plug'] == 'ok':
            used = 'os-vif-vrouter'
        else:
            used = binding['plug']
        went.append('%s (%s) went to %s' % (name, binding['plugin'], used))
    return went


def check_fixed(report):
    """After the guide's fix: both plugins once, every plug works."""
    names = sorted(n for n in _names(report) if 'vrouter' in n)
    if names != PLUGINS:
        raise CheckFailed('vrouter and contrail_vrouter once each '
                          'expected: %s' % names)
    if not set(PLUGINS) <= set(report['loaded']):
        raise CheckFailed('os-vif loaded %s' % report['loaded'])
    for name, binding in sorted(report['bindings'].items()):
        if ((binding['plug'], binding['unplug']) != ('ok', 'ok') or
                binding['after_plug'] != {'agent': True, 'port_file': True} or
                binding['after_unplug'] != {'agent': False,
                                            'port_file': False}):
            raise CheckFailed('%s: %s' % (name, binding))
    return '%s: nova %s, python %s: vrouter and contrail_vrouter once ' \
        'each; %s plugged and unplugged' % (
            report['prefix'], report['nova'], report['python'],
            ', '.join(sorted(report['bindings'])))


class KollaVenv(object):
    """A virtualenv at <root>/var/lib/kolla/venv, as Kolla lays it out."""

    def __init__(self, root, top):
        self.root = root
        self.top = top
        self.path = root / 'var' / 'lib' / 'kolla' / 'venv'
        self.bindings = root / 'bindings.json'

    def python(self, *args, **kwargs):
        return subprocess.run([str(self.path / 'bin' / 'python')] +
                              [str(a) for a in args], check=True, **kwargs)

    def pip(self, *args):
        self.python(*PIP + args)

    def plug_report(self):
        """stock_nova_plug.py's report, from a directory outside the
        source tree (nothing of it on the path).  The stand-in agent runs
        with this interpreter, which has the test helpers.
        """
        out = self.python(
            self.top / 'nova_tests' / 'stock_nova_plug.py', sys.executable,
            self.bindings, cwd=self.root, stdout=subprocess.PIPE,
            text=True).stdout
        print(out, end='', flush=True)
        return json.loads(out)


def main(series='2024.2', version='3.9', top=layout.TOP):
    speaker = say.Speaker('kolla-check')
    try:
        release = releases.openstack_release(series, top)
    except releases.ReleaseError as exc:
        return speaker.fail(str(exc))
    pythons.on_path(top)
    interpreter = pythons.python_for(version)
    if interpreter is None:
        return speaker.fail('no python%s (vrtools.pythons)' % version)
    with tempfile.TemporaryDirectory(prefix='kolla-check.') as root:
        venv = KollaVenv(pathlib.Path(root), top)
        with open(venv.bindings, 'w') as out:
            subprocess.run([sys.executable,
                            str(top / 'nova_tests' / 'vrouter_bindings.py')] +
                           list(BINDINGS), stdout=out, check=True)
        try:
            speaker('virtualenv %s (python%s), stock nova %s (%s)' % (
                venv.path, version, release.nova, series))
            subprocess.run([interpreter, '-m', 'venv', str(venv.path)],
                           check=True)
            venv.pip('install', '--quiet', '-c', release.constraints,
                     'nova==%s' % release.nova)

            speaker('stock nova, no vRouter plugin')
            check_no_plugin(venv.plug_report())

            speaker("upgrade: the vendor's plugin (test fixture), then this "
                    'distribution')
            venv.pip('install', '--quiet', '--no-deps',
                     top / 'nova_tests' / 'vendor_fixture')
            venv.pip('install', '--quiet', '--no-deps', top)
            venv.pip('check')
            for line in check_both(venv.plug_report()):
                speaker('both installed:', line)

            speaker("the guide's fix: pip uninstall nova_contrail_vif")
            venv.pip('uninstall', '--quiet', '--yes', 'nova_contrail_vif')
            speaker(check_fixed(venv.plug_report()))
        except subprocess.CalledProcessError as exc:
            return speaker.fail('FAILED: %s' % exc)
        except CheckFailed as exc:
            return speaker.fail('FAILED: %s' % exc)
    return 0
