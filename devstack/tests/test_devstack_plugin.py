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

"""The devstack plugin's functions, run against a throwaway environment.

devstack itself cannot run here.  These tests source lib/os-vif-vrouter
with stubs.sh standing in for the devstack functions it uses, and run its
install, apply and configure functions against a throwaway virtualenv
(Nova's environment) holding Nova installed in development mode from an
unpacked Nova sdist (NOVA_DIR), as devstack installs it from its checkout.
Nova's own dependencies are not installed: the functions only need its
version and where it is imported from.

Run serially (tools/devstack-check): the environment is built once per
process.
"""

import atexit
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import fixtures
import testtools

TOP = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
LIB = TOP / 'devstack' / 'lib' / 'os-vif-vrouter'

# The tools' reader of patches/releases.
sys.path.insert(0, str(TOP / 'tools'))
from vrtools import releases  # noqa: E402

DEFAULT_RELEASE = releases.nova_releases()[0]


def _run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True,
                          **kwargs)


def _unpacked_nova(release, dest):
    """Unpack the pinned sdist of a release into dest (no git)."""
    # tools/nova-tree downloads and checks the sdist; its git repository
    # is removed, leaving the unpacked sdist.
    _run(str(TOP / 'tools' / 'nova-tree'), '--release', release,
         '--pristine', str(dest))
    shutil.rmtree(dest / '.git')


class _Environment(object):
    """A virtualenv with Nova (development mode) from an unpacked tree."""

    def __init__(self, release):
        self.release = release
        self.root = pathlib.Path(tempfile.mkdtemp(prefix='devstack-test-'))
        atexit.register(shutil.rmtree, self.root, ignore_errors=True)
        self.nova_dir = self.root / 'nova'
        self.pristine = self.root / 'pristine'
        _unpacked_nova(release, self.pristine)
        shutil.copytree(self.pristine, self.nova_dir, symlinks=True)
        _run(sys.executable, '-m', 'venv', str(self.root / 'venv'))
        self.python = self.root / 'venv' / 'bin' / 'python'
        _run(str(self.python), '-m', 'pip', 'install', '--quiet',
             '--disable-pip-version-check', '--no-deps', '-e',
             str(self.nova_dir))

    def reset_nova(self):
        """Undo what a test did to NOVA_DIR (at the same path).

        Only the files the series touches change: copy those back from
        the pristine tree, or remove them if the series adds them.
        """
        for patch in (TOP / 'patches' / self.release).glob('*.patch'):
            for line in patch.read_text().splitlines():
                if not line.startswith('diff --git a/'):
                    continue
                path = line.split()[2][len('a/'):]
                original = self.pristine / path
                if original.exists():
                    shutil.copy2(original, self.nova_dir / path)
                else:
                    (self.nova_dir / path).unlink(missing_ok=True)


_ENVIRONMENTS = {}


def _environment(release):
    if release not in _ENVIRONMENTS:
        _ENVIRONMENTS[release] = _Environment(release)
    return _ENVIRONMENTS[release]


def _tree_files(root):
    files = {}
    for path in root.rglob('*'):
        name = str(path.relative_to(root))
        if (path.is_file() and '.egg-info' not in name and
                '__pycache__' not in name):
            files[name] = path.read_bytes()
    return files


class _PluginTestCase(testtools.TestCase):

    release = DEFAULT_RELEASE

    def setUp(self):
        super().setUp()
        self.env = _environment(self.release)
        self.env.reset_nova()
        self.conf_dir = pathlib.Path(self.useFixture(
            fixtures.TempDir()).path)

    def bash(self, script, check=True, **env):
        """Run script after sourcing the stubs, settings and library."""
        environ = dict(
            os.environ,
            DEST=str(self.env.root),
            OS_VIF_VROUTER_DIR=str(TOP),
            OS_VIF_VROUTER_TEST_CONSTRAINTS=str(
                TOP / 'tools' / 'constraints.txt'),
            PYTHON=str(self.env.python),
            NOVA_DIR=str(self.env.nova_dir),
            NOVA_CONF=str(self.conf_dir / 'nova.conf'),
            ENABLED_SERVICES='n-cpu,placement-client')
        environ.update(env)
        result = subprocess.run(
            ['bash', '-c',
             'set -eu -o pipefail\n'
             'source "%s"\n'
             'source "$OS_VIF_VROUTER_DIR/devstack/settings"\n'
             'source "%s"\n' % (HERE / 'stubs.sh', LIB) + script],
            env=environ, capture_output=True, text=True)
        if check and result.returncode != 0:
            self.fail('bash exited %d\nstdout:\n%s\nstderr:\n%s' % (
                result.returncode, result.stdout, result.stderr))
        return result

    def series(self):
        series = TOP / 'patches' / self.release / 'series'
        return [line for line in series.read_text().splitlines()
                if line.strip() and not line.startswith('#')]


class _ApplyTests(object):
    """Applying the series of the installed Nova's release."""

    def test_apply(self):
        out = self.bash('apply_os_vif_vrouter_series').stdout
        self.assertIn('applying the series for nova %s to nova %s' % (
            self.release, self.release), out)
        for patch in self.series():
            self.assertIn('applied %s' % patch, out)
        # Every release adds the files of the nova/ mirror.
        for added in (TOP / 'nova').rglob('*'):
            if added.is_file():
                path = added.relative_to(TOP / 'nova')
                self.assertEqual(added.read_bytes(),
                                 (self.env.nova_dir / path).read_bytes(),
                                 str(path))
        self.assertIn(
            'vif_vrouter.LibvirtVRouterVIFDriver(self._host)',
            (self.env.nova_dir / 'nova' / 'virt' / 'libvirt' /
             'driver.py').read_text())
        # Nova does not require os-vif-vrouter: the series adds nothing to
        # its requirements.
        self.assertNotIn('os-vif-vrouter',
                         (self.env.nova_dir / 'requirements.txt').read_text())

    def test_apply_fails_loudly_and_reverts(self):
        # A Nova whose driver.py moved on: the patch that makes it use the
        # vRouter VIF driver cannot apply.
        driver = self.env.nova_dir / 'nova' / 'virt' / 'libvirt' / 'driver.py'
        text = driver.read_text()
        self.assertIn('libvirt_vif.LibvirtGenericVIFDriver(self._host)', text)
        driver.write_text(text.replace(
            'libvirt_vif.LibvirtGenericVIFDriver(self._host)',
            'libvirt_vif.SomeOtherVIFDriver(self._host)'))
        changed = _tree_files(self.env.nova_dir)
        result = self.bash('apply_os_vif_vrouter_series', check=False)
        self.assertEqual(1, result.returncode)
        hook = [patch for patch in self.series()
                if 'vif_vrouter.LibvirtVRouterVIFDriver(self._host)' in (
                    TOP / 'patches' / self.release / patch).read_text()]
        self.assertEqual(1, len(hook), hook)
        self.assertIn('%s (series for nova %s) does not apply' % (
            hook[0], self.release), result.stderr)
        self.assertIn('were reverted', result.stderr)
        # Nothing of the series is left behind.
        self.assertEqual(changed, _tree_files(self.env.nova_dir))


class DevstackPluginTestCase(_ApplyTests, _PluginTestCase):
    """The default release; picking, installing, configuring, dispatch."""

    # Picking the series.

    def test_pick_release(self):
        out = self.bash(
            'for v in 34.0.0 33.0.2 32.2.1 34.0.1 33.1.0.dev4 29.4.0 '
            '31.0.0; do\n'
            '    os_vif_vrouter_pick_release "$v"\n'
            'done').stdout.split()
        self.assertEqual(
            ['34.0.0', '33.0.2', '32.2.1', '34.0.0', '33.0.2', '29.4.0',
             '31.3.1'], out)

    def test_pick_release_unknown_dies(self):
        result = self.bash('os_vif_vrouter_pick_release 28.0.0', check=False)
        self.assertEqual(1, result.returncode)
        self.assertIn('no series for nova 28.0.0', result.stderr)
        self.assertIn('OS_VIF_VROUTER_NOVA_RELEASE', result.stderr)

    def test_pick_release_override(self):
        out = self.bash('os_vif_vrouter_pick_release 35.0.0',
                        OS_VIF_VROUTER_NOVA_RELEASE='33.0.2').stdout
        self.assertEqual('33.0.2\n', out)
        result = self.bash('os_vif_vrouter_pick_release 34.0.0', check=False,
                           OS_VIF_VROUTER_NOVA_RELEASE='30.0.0')
        self.assertEqual(1, result.returncode)
        self.assertIn('OS_VIF_VROUTER_NOVA_RELEASE=30.0.0 has no series',
                      result.stderr)

    # Applying it again, or to the wrong tree.

    def test_apply_twice(self):
        self.bash('apply_os_vif_vrouter_series')
        applied = _tree_files(self.env.nova_dir)
        out = self.bash('apply_os_vif_vrouter_series').stdout
        for patch in self.series():
            self.assertIn('%s is already applied' % patch, out)
        self.assertEqual(applied, _tree_files(self.env.nova_dir))

    def test_apply_to_a_git_checkout(self):
        # devstack's NOVA_DIR is a git checkout: git apply works in its
        # working tree and commits nothing.
        nova_dir = self.env.nova_dir
        self.addCleanup(shutil.rmtree, nova_dir / '.git')
        git = ['git', '-C', str(nova_dir), '-c', 'user.name=test',
               '-c', 'user.email=test@example.invalid']
        _run(*git, 'init', '--quiet')
        _run(*git, 'add', '--all')
        _run(*git, 'commit', '--quiet', '-m', 'nova')
        out = self.bash('apply_os_vif_vrouter_series').stdout
        for patch in self.series():
            self.assertIn('applied %s' % patch, out)
        status = _run(*git, 'status', '--porcelain').stdout
        self.assertIn(' M nova/virt/libvirt/driver.py', status)
        self.assertIn('?? nova/virt/libvirt/vif_vrouter.py', status)
        self.assertEqual(
            '1\n', _run(*git, 'rev-list', '--count', 'HEAD').stdout)

    def test_apply_refuses_nova_imported_elsewhere(self):
        other = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        result = self.bash('apply_os_vif_vrouter_series', check=False,
                           NOVA_DIR=str(other))
        self.assertEqual(1, result.returncode)
        self.assertIn('imports nova from %s' % (
            self.env.nova_dir / 'nova' / '__init__.py'), result.stderr)
        self.assertEqual([], list(other.iterdir()))

    # Installing the distribution.

    def test_install(self):
        self.bash('install_os_vif_vrouter')
        out = _run(str(self.env.python), '-c',
                   'import importlib.metadata as m; '
                   'print(sorted(ep.name for ep in '
                   'm.entry_points(group="os_vif")))').stdout
        self.assertIn("'contrail_vrouter'", out)
        self.assertIn("'vrouter'", out)
        self.assertTrue(
            (self.env.python.parent / 'vrouter-port-control').exists())

    def test_install_dies_without_the_plugins(self):
        # setup_develop installing nothing (say, into another environment,
        # the cause of upstream's "KeyError: 'vrouter'"): the check sees it.
        root = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        _run(sys.executable, '-m', 'venv', str(root / 'venv'))
        result = self.bash(
            'function setup_develop { :; }\n'
            'install_os_vif_vrouter', check=False,
            PYTHON=str(root / 'venv' / 'bin' / 'python'))
        self.assertEqual(1, result.returncode)
        self.assertIn("os-vif plugins missing from Nova's environment",
                      result.stderr)
        self.assertIn('vrouter contrail_vrouter', result.stderr)

    # Configuring Nova.

    def test_configure(self):
        (self.conf_dir / 'nova.conf').write_text(
            '[DEFAULT]\nvif_plugging_timeout = 300\ndebug = True\n\n'
            '[libvirt]\nvirt_type = qemu\n')
        self.bash('configure_os_vif_vrouter')
        self.assertEqual(
            '[DEFAULT]\nvif_plugging_is_fatal = False\n'
            'vif_plugging_timeout = 0\ndebug = True\n\n'
            '[libvirt]\nvirt_type = qemu\n\n'
            '[os_vif_vrouter]\nport_dir = /var/lib/contrail/ports\n'
            'agent_port = 9091\nagent_host = 127.0.0.1\n',
            (self.conf_dir / 'nova.conf').read_text())

    def test_configure_settings(self):
        self.bash('configure_os_vif_vrouter',
                  OS_VIF_VROUTER_AGENT_PORT='19091',
                  OS_VIF_VROUTER_PORT_DIR='/srv/ports')
        text = (self.conf_dir / 'nova.conf').read_text()
        self.assertIn('agent_port = 19091\n', text)
        self.assertIn('port_dir = /srv/ports\n', text)

    # plugin.sh: which function runs in which phase.

    def _plugin_sh(self, phases, services):
        """Run plugin.sh for each phase, with a library that only echoes.

        plugin.sh is copied beside a stand-in lib/os-vif-vrouter, so that
        only its dispatch runs.
        """
        root = pathlib.Path(self.useFixture(fixtures.TempDir()).path)
        (root / 'devstack' / 'lib').mkdir(parents=True)
        for name in ('plugin.sh', 'settings'):
            shutil.copy(TOP / 'devstack' / name, root / 'devstack')
        (root / 'devstack' / 'lib' / 'os-vif-vrouter').write_text(
            'function install_os_vif_vrouter { echo install; }\n'
            'function apply_os_vif_vrouter_series { echo apply; }\n'
            'function configure_os_vif_vrouter { echo configure; }\n')
        script = ''.join(
            'echo "%s:"\nsource "%s" %s\n' % (
                phase, root / 'devstack' / 'plugin.sh', phase)
            for phase in phases)
        return self.bash(script, OS_VIF_VROUTER_DIR=str(root),
                         ENABLED_SERVICES=services).stdout

    def test_plugin_sh_phases(self):
        out = self._plugin_sh(
            ['stack pre-install', 'stack install', 'stack post-config',
             'stack extra', 'unstack', 'clean'], 'n-cpu,placement-client')
        self.assertEqual(
            'stack pre-install:\n'
            'stack install:\nInstalling os-vif-vrouter and applying its '
            'Nova series\ninstall\napply\n'
            'stack post-config:\nConfiguring Nova for the vRouter\n'
            'configure\n'
            'stack extra:\nunstack:\nclean:\n', out)

    def test_plugin_sh_not_on_a_compute_node(self):
        out = self._plugin_sh(['stack install', 'stack post-config'],
                              'n-api,n-sch')
        self.assertEqual('stack install:\nstack post-config:\n', out)


class DevstackPluginOldestReleaseTestCase(_ApplyTests, _PluginTestCase):
    """A Nova of the oldest release gets that release's series."""

    release = releases.nova_releases()[-1]
