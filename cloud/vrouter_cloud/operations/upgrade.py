# Copyright 2026 The os-vif-vrouter authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Scenario 4: a node moves from the vendor's tooling to ours in place.

The node starts on stock Nova of the default release (no series), from a
virtualenv of its own (``.cloud-build/venv-stock``, made by
``tools/cloud-setup --stock-nova``), with the vendor's plugin as the test
tree imitates it (``nova_tests/vendor_fixture``, running the classic
``vrouter-port-control`` script, ``os_vif_vrouter.tests
.classic_port_control``): the servers booted there get the classic
script's port files.  Then the steps of the upgrade guide
(doc/source/install/upgrade.rst), on that virtualenv, with the guests
pinged:

1. ``[oslo_concurrency] lock_path``: the cloud's nova.conf always sets
   it, so this step is not exercised;
2. the vendor's distribution removed (``pip uninstall
   nova_contrail_vif``), this distribution installed (``pip install
   --no-deps`` of the wheel ``cloud-setup`` built from the checkout,
   ``pip check``), the series applied to the installed Nova (``git apply
   --include='nova/*'`` in its site-packages, as the series guide says
   for an installed Nova);
3. nothing here calls ``vrouter-port-control``: not exercised;
4. nova-compute restarted: it plugs every port again through our plugin;
5. ``vrouter-port-audit``, and 6. the agent's exposure (the job's checks
   after each scenario).

Goals: no ping gap, no DELETE at the agent, every classic port file
understood (the port plugged again without a change at the agent, no
drift in the audit).

After the job (the cloud down), ``revert`` goes back to the stock
virtualenv the way the guide's "Going back" says (this distribution
removed, the series reverted, the vendor's distribution installed
again), so that the next run starts from stock Nova; a virtualenv that
did not come back has no stamp, and ``tools/cloud-setup --stock-nova``
builds it again.
"""

import argparse
import json
import os
import subprocess
import sys
import time

from os_vif_vrouter.tests import classic_files
from vrouter_cloud import layout as cloud_layout

REPLUG_TIMEOUT = 300
VENDOR_DISTRIBUTION = 'nova_contrail_vif'
THIS_DISTRIBUTION = 'os-vif-vrouter'
# tools/vrtools/cloud_setup.py makes these (STOCK_VENV, UPGRADE_WHEELS;
# the stamp of vrtools.venv): the upgrade moves the stamp aside until
# revert brings the virtualenv back.
STOCK_VENV = 'venv-stock'
UPGRADE_WHEELS = 'upgrade-wheels'
STAMP = '.inputs'
# The vendor fixture runs this command line for each plug and unplug
# (nova_tests/vendor_fixture/vif_plug_vrouter/vrouter.py).
PORT_CONTROL_ENV = 'VENDOR_FIXTURE_PORT_CONTROL'
# The os_vif plugins of either distribution.
PLUGIN_NAMES = ('contrail_vrouter', 'vrouter')

_ENTRY_POINTS = ('import importlib.metadata as m; import json; '
                 'print(json.dumps(sorted([e.name, d.metadata["Name"]] '
                 'for d in m.distributions() for e in d.entry_points '
                 'if e.group == "os_vif")))')
_SITE = ('import nova, os; '
         'print(os.path.dirname(os.path.dirname(nova.__file__)))')


class UpgradeFailed(Exception):
    pass


def stock_venv(layout):
    return os.path.join(layout.build, STOCK_VENV)


def _python(layout):
    return os.path.join(stock_venv(layout), 'bin', 'python')


def _run(argv):
    """Run a command; its output.  From /: Python puts the current
    directory on the path of ``python -c``, and a checkout there (its
    egg-info) would count as installed.

    :raises: UpgradeFailed with what it said
    """
    try:
        result = subprocess.run(argv, cwd='/', capture_output=True,
                                text=True, check=False, timeout=600)
    except subprocess.TimeoutExpired:
        raise UpgradeFailed('%s: not done after 600 s' % ' '.join(argv))
    if result.returncode != 0:
        raise UpgradeFailed('%s: exit %d: %s' % (
            ' '.join(argv), result.returncode,
            (result.stdout + result.stderr).strip()[-2000:]))
    return result.stdout


def _pip_install_wheel(layout, distribution):
    """pip install --no-deps a wheel cloud-setup built, without an index."""
    _run([_python(layout), '-m', 'pip', 'install', '--quiet',
          '--disable-pip-version-check', '--no-deps', '--no-index',
          '--find-links', os.path.join(layout.build, UPGRADE_WHEELS),
          distribution])


def series(layout):
    """The default release's patches, in series order."""
    with open(os.path.join(layout.top, 'patches', 'releases')) as f:
        release = next(line.strip() for line in f
                       if line.strip() and not line.startswith('#'))
    directory = os.path.join(layout.top, 'patches', release)
    with open(os.path.join(directory, 'series')) as f:
        return [os.path.join(directory, line.strip()) for line in f
                if line.strip() and not line.startswith('#')]


def _git_apply(site, patch, *options):
    """git apply a patch of the series to the installed Nova in site.

    Outside any git work tree: inside one (a virtualenv in a checkout),
    git takes the patch's paths from that tree's top and skips every file
    of the series without an error.
    """
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(site))
    return subprocess.run(['git', 'apply'] + list(options) +
                          ['--include=nova/*', patch], cwd=site, env=env,
                          capture_output=True, text=True, check=False,
                          timeout=60)


def patched(python):
    """Whether the Nova of an environment has the series."""
    return subprocess.run([python, '-c', 'import nova.virt.libvirt.'
                           'vif_vrouter'], cwd='/', capture_output=True,
                          check=False, timeout=60).returncode == 0


def os_vif_plugins(python):
    """[[entry point name, distribution]] of os_vif's vRouter plugins."""
    return [plugin for plugin in json.loads(_run([python, '-c',
                                                  _ENTRY_POINTS]))
            if plugin[0] in PLUGIN_NAMES]


def _expected_plugins(distribution):
    return [[name, distribution] for name in sorted(PLUGIN_NAMES)]


def install_ours(layout):
    """Step 2 of the guide on the stock virtualenv; [(step, seconds)].

    :raises: UpgradeFailed naming the step
    """
    python = _python(layout)
    timings = []

    def step(name, *calls):
        start = time.monotonic()
        for call in calls:
            call()
        timings.append((name, time.monotonic() - start))

    stamp = os.path.join(stock_venv(layout), STAMP)
    if os.path.exists(stamp):
        os.rename(stamp, stamp + '.upgraded')
    step('pip uninstall %s' % VENDOR_DISTRIBUTION,
         lambda: _run([python, '-m', 'pip', 'uninstall', '--yes',
                       VENDOR_DISTRIBUTION]))
    step('pip install --no-deps %s, pip check' % THIS_DISTRIBUTION,
         lambda: _pip_install_wheel(layout, THIS_DISTRIBUTION),
         lambda: _run([python, '-m', 'pip', 'check']))
    site = _run([python, '-c', _SITE]).strip()
    start = time.monotonic()
    for patch in series(layout):
        applied = _git_apply(site, patch)
        if applied.returncode != 0:
            raise UpgradeFailed('git apply %s in %s: %s' % (
                patch, site, applied.stderr.strip()))
    if not patched(python):
        raise UpgradeFailed('the series applied to %s, yet its Nova has no '
                            'nova.virt.libvirt.vif_vrouter' % site)
    timings.append(('git apply the series to the installed Nova',
                    time.monotonic() - start))
    return timings


def revert(layout):
    """Back to stock Nova with the vendor's plugin (the guide's "Going
    back", in the other order); the stamp again once it is so.

    :returns: whether there was an upgrade to revert
    :raises: UpgradeFailed when the virtualenv did not come back
    """
    python = _python(layout)
    stamp = os.path.join(stock_venv(layout), STAMP)
    if not os.path.exists(stamp + '.upgraded'):
        return False  # not upgraded
    names = [dist for _, dist in os_vif_plugins(python)]
    if THIS_DISTRIBUTION in names:
        _run([python, '-m', 'pip', 'uninstall', '--yes', THIS_DISTRIBUTION])
    site = _run([python, '-c', _SITE]).strip()
    # Each applied patch comes off, the last first; a patch that was not
    # applied (the upgrade stopped half way) does not reverse: skip it.
    for patch in reversed(series(layout)):
        if _git_apply(site, patch, '--check', '--reverse').returncode == 0:
            reverted = _git_apply(site, patch, '--reverse')
            if reverted.returncode != 0:
                raise UpgradeFailed('git apply --reverse %s in %s: %s' % (
                    patch, site, reverted.stderr.strip()))
    if VENDOR_DISTRIBUTION not in names:
        _pip_install_wheel(layout, VENDOR_DISTRIBUTION)
    _run([python, '-m', 'pip', 'check'])
    plugins = os_vif_plugins(python)
    if (patched(python) or
            plugins != _expected_plugins(VENDOR_DISTRIBUTION)):
        raise UpgradeFailed('%s did not come back to stock Nova with the '
                            'vendor\'s plugin (os_vif plugins %s)' % (
                                stock_venv(layout), plugins))
    os.rename(stamp + '.upgraded', stamp)
    return True


def start_on_stock(h, node):
    """The node's nova-compute on stock Nova and the vendor's plugin.

    :raises: UpgradeFailed when there is no stock virtualenv
    """
    venv = stock_venv(h.layout)
    if not os.path.exists(os.path.join(venv, STAMP)):
        raise UpgradeFailed('no stock Nova virtualenv %s: run '
                            'tools/cloud-setup --stock-nova' % venv)
    node.stop_compute()
    node.use_compute(venv, env={PORT_CONTROL_ENV: '%s -m os_vif_vrouter.'
                                'tests.classic_port_control '
                                '--port_json_path=%s' % (
                                    h.layout.bin('python'),
                                    node.layout.port_dir)})
    node.start_compute()
    h.wait_compute_up(node)


def in_place_upgrade(h, result):
    """4. The upgrade of the node start_on_stock set up."""
    node = h.node(1)
    python = _python(h.layout)
    reader = h.reader(node)
    start = time.monotonic()
    ports = h.ports_on(node)
    classic = [p for p in ports
               if (reader.port_file(p) or {}).get('author') ==
               classic_files.CLASSIC_AUTHOR]
    if not ports or len(classic) != len(ports):
        result.failures.append(
            'before the upgrade, %d of the %d ports on %s have a classic '
            'port file' % (len(classic), len(ports), node.name))
    before = os_vif_plugins(python)
    if before != _expected_plugins(VENDOR_DISTRIBUTION):
        result.failures.append('os_vif plugins before the upgrade: %s' %
                               before)
    # 2.
    timings = install_ours(h.layout)
    after = os_vif_plugins(python)
    if after != _expected_plugins(THIS_DISTRIBUTION):
        result.failures.append('os_vif plugins after the installation: %s'
                               % after)
    # 4. nova-compute restarted, without the vendor's script.
    h.mark_agent_logs()
    node.stop_compute()
    node.use_compute(stock_venv(h.layout))
    node.start_compute()
    times, missing = h.registered(node, ports, REPLUG_TIMEOUT,
                                  since=node.compute_started_at)
    if missing:
        result.failures.append('%s: not plugged again after the upgrade: '
                               '%s' % (node.name, ', '.join(missing)))
    deletes = h.deletes(node)
    if deletes:
        result.failures.append('%d DELETE at the agent of %s: %s' % (
            len(deletes), node.name, ', '.join(deletes)))
    rewritten = [p for p in classic
                 if (reader.port_file(p) or {}).get('author') !=
                 classic_files.CLASSIC_AUTHOR]
    renamed = [p for p in ports
               if (reader.registration(p) or {}).get('display-name') !=
               (reader.port_file(p) or {}).get('display-name')]
    result.notes.append(
        '%s: os_vif plugins %s before, %s after; %s; step 1 (lock_path) '
        'and 3 (scripts calling vrouter-port-control) not exercised; '
        'nova-compute restarted: %d of %d ports plugged again within %.1f '
        's, %d DELETE at the agent; %d of %d classic port files rewritten '
        'by our plugin; %d registrations keep the display name stock Nova '
        'gave (the agent applies no change to a port it has; the file has '
        'the server\'s name for its next start)' % (
            node.name, before, after,
            ', '.join('%s %.1f s' % timing for timing in timings),
            len(times), len(ports), max(times.values()) if times else 0.0,
            len(deletes), len(rewritten), len(classic), len(renamed)))
    h.check(result, start, time.monotonic())


def fall_back(h):
    """After a failed upgrade: the node on the cloud's own virtualenv (the
    patched Nova, our plugin), so that the next scenarios do not run on
    stock Nova or on a virtualenv half upgraded.
    """
    node = h.node(1)
    node.stop_compute()
    node.use_compute()
    node.start_compute()
    h.wait_compute_up(node)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Bring the stock Nova virtualenv back after the '
                    'in-place upgrade scenario.')
    parser.add_argument('--top', default=os.getcwd())
    parser.add_argument('action', choices=('revert',))
    args = parser.parse_args(argv)
    layout = cloud_layout.Layout(args.top)
    try:
        if revert(layout):
            print('cloud-operations: %s is stock Nova with the vendor\'s '
                  'plugin again' % stock_venv(layout))
    except UpgradeFailed as exc:
        print('cloud-operations: %s; tools/cloud-setup --stock-nova '
              'builds it again' % exc)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
