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

"""Fault-injection soak of the plugin, its CLI and its audit, together.

Random plug and unplug operations over a pool of ports of every kind
(kernel, DPDK, and offload when representor netdevs are given), through
one plugin (nova-compute's process), while the agent is at random
healthy, down, slow beyond the client's read timeout, answering 500 to
everything, or restarting (and replaying its port files); while the port
directory is, for the plugin, full (writes fail with ENOSPC) or
read-only (EROFS); and while a child process plugging a batch of ports
is killed with SIGKILL at a random moment.

Beside it, in processes of their own and on the same host (the same
agent, port directory and lock path):

- ``vrouter-port-control`` adds and deletes ports of its own, at random,
  until the run settles, then retries its failed operations;
- ``vrouter-port-audit --repair`` runs round after round.  Its host has
  domains for the plugin's and the CLI's ports; the directory also holds
  VM port files no domain has (stale, old: it must delete them), port
  files of the agent's other clients (namespace ports, old: it must leave
  them) and old temporary files of killed writers (it must remove them).

Then the run settles as a host does: the agent is healthy, the last
failed operation of each port is retried (Nova retries a failed plug or
unplug: at the next start of nova-compute, a hard reboot, a delete), the
agent restarts once more, replaying its files, and a last audit repairs
with no grace period.  The invariants:

- the port files are exactly the ports whose last operation was a plug
  (or add), and the other clients' ports: no lost registration, no stale
  file, no temporary file, each file a complete JSON object;
- the agent's registrations are exactly those ports, as their files say;
- the other clients' files are as they were;
- every failed operation raised one of the plugin's typed errors (or
  exited with one of the CLI's exit codes).

Used by os_vif_vrouter/tests/integration/test_soak.py (short, fixed seed)
and benchmarks/soak_bench.py (long, several seeds, prints the table).
"""

import collections
import errno
import json
import os
import random
import signal
import subprocess
import sys
import time

from os_vif import exception as osv_exception
from oslo_config import cfg
from vrouter_testing import agent_stand_in

from os_vif_vrouter import audit
from os_vif_vrouter.cmd import port_audit
from os_vif_vrouter import constants
from os_vif_vrouter import locks
from os_vif_vrouter import opts
from os_vif_vrouter import port_file
from os_vif_vrouter import port_request
from os_vif_vrouter import ports
from os_vif_vrouter.tests import vifs
from os_vif_vrouter import vrouter

HEALTHY = 'healthy'
DOWN = 'down'
SLOW = 'slow'
ERROR = 'error-500'
RESTART = 'restart'
DISK_FULL = 'disk-full'
READ_ONLY = 'read-only'
KILL = 'sigkill'
FAULTS = (DOWN, SLOW, ERROR, RESTART, DISK_FULL, READ_ONLY)

READ_TIMEOUT = 0.2  # the client's, in the soak
SLOW_DELAY = 0.3  # beyond it
AUDIT_GRACE = 1.0  # the audit actor's grace period, seconds
OLD = 7200  # the age of the files a former life of the host left

Report = collections.namedtuple(
    'Report', 'operations failures faults violations leftover_temp wall '
              'lost_registrations stale_files untyped actors')
Report.__doc__ = """What a soak did and found; actors is {name: the actor's
report (operations, failed, untyped)}."""


class _FaultyOs(object):
    """The os module as port_file sees it on a full disk (writes fail with
    ENOSPC) or a read-only file system (creating, renaming and removing
    fail with EROFS).
    """

    _WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def __init__(self, fault):
        self._fault = fault

    def __getattr__(self, name):
        return getattr(os, name)

    def _refuse(self, code):
        raise OSError(code, os.strerror(code))

    def write(self, fd, data):
        if self._fault == DISK_FULL:
            self._refuse(errno.ENOSPC)
        return os.write(fd, data)

    def open(self, path, flags, *args):
        if self._fault == READ_ONLY and flags & self._WRITE_FLAGS:
            self._refuse(errno.EROFS)
        return os.open(path, flags, *args)

    def _read_only(name):
        def refused(self, *args, **kwargs):
            if self._fault == READ_ONLY:
                self._refuse(errno.EROFS)
            return getattr(os, name)(*args, **kwargs)
        return refused

    unlink = _read_only('unlink')
    rename = _read_only('rename')
    makedirs = _read_only('makedirs')
    fchmod = _read_only('fchmod')
    del _read_only


class Soak(object):
    """One soak run; see the module docstring.

    :param work_dir: an empty directory for the port files and sockets
    :param representors: names of existing netdevs to use as the VFs'
        representors (offload ports); none: no offload ports
    :param actors: run vrouter-port-control and vrouter-port-audit beside
        the plugin
    :param cli_ports: ports of vrouter-port-control
    :param stale_ports: old VM port files without a domain
    :param foreign_ports: old port files of the agent's other clients
    """

    def __init__(self, work_dir, ports=200, operations=1000, seed=0,
                 representors=(), fault_rate=0.15, kill_rate=0.02,
                 actors=True, cli_ports=20, stale_ports=10, foreign_ports=5):
        self.random = random.Random(seed)
        self.seed = seed
        self.operations = operations
        self.fault_rate = fault_rate
        self.kill_rate = kill_rate
        self.work_dir = work_dir
        self.port_dir = os.path.join(work_dir, 'ports')
        os.mkdir(self.port_dir)
        self.socket_dir = os.path.join(work_dir, 'sockets')
        os.mkdir(self.socket_dir)
        self.lock_path = os.path.join(work_dir, 'locks')
        self.settle_file = os.path.join(work_dir, 'settle')
        self.map_path = os.path.join(work_dir, 'fallback_map')
        self.ports = self._make_ports(ports, list(representors))
        self.plugged = {vif.id: False for vif in self.ports}  # intent
        self.failed = {}  # port id -> the operation that failed last
        self.faults = collections.Counter()
        self.violations = []
        self.failures = 0
        self.untyped = 0
        self.info = vifs.instance_info(name='soak "guest" -- 1')
        self.actors = actors
        if not actors:
            cli_ports = stale_ports = foreign_ports = 0
        self.cli_ports = [vifs.new_port_id() for _ in range(cli_ports)]
        self.stale = [vifs.new_port_id() for _ in range(stale_ports)]
        self.foreign = {vifs.new_port_id(): None
                        for _ in range(foreign_ports)}
        self._registered = set()

    def _make_ports(self, count, representors):
        """count ports: kernel, DPDK, and one offload port (direct or
        virtio-forwarder) per representor, in turn.
        """
        lines = []
        ports = []
        for i in range(count):
            kind = i % (4 if representors else 2)
            if kind == 0:
                ports.append(vifs.kernel())
            elif kind == 1:
                port_id = vifs.new_port_id()
                ports.append(vifs.dpdk(os.path.join(
                    self.socket_dir, 'uvh_vif_' + vifs.tap_name(port_id)),
                    port_id=port_id))
            else:
                representor = representors.pop()
                vf = '0000:0b:%02x.%d' % (i // 8, i % 8)
                lines.append('0 %s %s %d\n' % (vf, representor, len(lines)))
                ports.append(vifs.direct(vf) if kind == 2 else
                             vifs.virtio_forwarder(vf, os.path.join(
                                 self.socket_dir, 'fwd%d' % i)))
        with open(self.map_path, 'w') as f:
            f.writelines(lines)
        return ports

    def _options(self, agent_port):
        return (('agent_port', agent_port),
                ('port_dir', self.port_dir),
                ('agent_connect_timeout', 0.5),
                ('agent_listener_uid', os.geteuid()),
                ('agent_read_timeout', READ_TIMEOUT),
                ('vhostuser_agent_wait', 0.3),
                ('vhostuser_socket_wait', 0.3),
                ('sysfs_root', os.path.join(self.work_dir, 'no-sys')),
                ('representor_map', self.map_path))

    def _configure(self, conf, agent_port):
        opts.register_opts(conf)
        for name, value in self._options(agent_port):
            conf.set_override(name, value, group=constants.CONFIG_GROUP)

    def _config_file(self, agent_port):
        """nova-compute's configuration, for the CLI and the audit."""
        path = os.path.join(self.work_dir, 'nova.conf')
        with open(path, 'w') as f:
            f.write('[oslo_concurrency]\nlock_path = %s\n[%s]\n' % (
                self.lock_path, constants.CONFIG_GROUP))
            for name, value in self._options(agent_port):
                f.write('%s = %s\n' % (name, value))
        return path

    # A former life of the host: files the audit must delete, leave, or
    # clean up.

    def _old(self, name):
        then = time.time() - OLD
        os.utime(os.path.join(self.port_dir, name), (then, then))

    def _seed_files(self):
        for port_id in self.stale + list(self.foreign):
            port_type = 1 if port_id in self.foreign else 0
            port = ports.from_cli(
                port_id, vifs.new_port_id(), vifs.NETWORK,
                vifs.mac_of(port_id), 'ns' + port_id[:8],
                display_name='gone', port_type=port_type)
            text = port_request.to_json(port_request.body(port))
            port_file.write(self.port_dir, port_id, text.encode())
            self._old(port_id)
            if port_id in self.foreign:
                self.foreign[port_id] = text
        for port_id in self.stale[:3]:
            name = '.%s.%s.tmp' % (port_id, '0123456789ab')
            with open(os.path.join(self.port_dir, name), 'w') as f:
                f.write('{"id": "')
            self._old(name)

    def _domains(self):
        """The ports whose domains this host has."""
        return [vif.id for vif in self.ports] + self.cli_ports

    # The other processes.

    def _start_actors(self, config_file):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path),
                   PYTHONWARNINGS='ignore')
        common = ['--config-file', config_file, '--until', self.settle_file,
                  '--seed', str(self.seed)]
        actors = {
            'vrouter-port-control': ['cli', '--ports',
                                     ','.join(self.cli_ports)],
            'vrouter-port-audit': ['audit', '--ports', '-', '--domains',
                                   ','.join(self._domains()),
                                   '--grace_period', str(AUDIT_GRACE)],
        }
        return {name: subprocess.Popen(
            [sys.executable, '-m', 'os_vif_vrouter.tests.actors'] + argv +
            common, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            for name, argv in actors.items()}

    def _finish_actors(self, children):
        reports = {}
        for name, child in children.items():
            try:
                out, err = child.communicate(timeout=600)
            except subprocess.TimeoutExpired:
                child.kill()
                out, err = child.communicate()
            try:
                report = json.loads(out.decode().splitlines()[-1])
            except (ValueError, IndexError):
                self.violations.append('%s died (exit %s): %s' % (
                    name, child.returncode, err.decode()[-500:]))
                continue
            for error in report['untyped']:
                self.untyped += 1
                self.violations.append('%s: %s' % (name, error))
            reports[name] = report
        return reports

    # One operation.

    def _operate(self, plugin, vif):
        """Plug an unplugged port, unplug a plugged one; record failures."""
        plug = not self.plugged[vif.id]
        self.plugged[vif.id] = plug
        try:
            (plugin.plug if plug else plugin.unplug)(vif, self.info)
        except (osv_exception.PlugException,
                osv_exception.UnplugException) as exc:
            self.failures += 1
            self.failed[vif.id] = plug
            if '%(' in str(exc):
                self.violations.append('unformatted error: %s' % exc)
        except Exception as exc:
            self.failed[vif.id] = plug
            self.untyped += 1
            self.violations.append('untyped %s from %s of %s: %s' % (
                type(exc).__name__, 'plug' if plug else 'unplug', vif.id,
                exc))
        else:
            self.failed.pop(vif.id, None)

    def _set_fault(self, agent, fault):
        self.faults[fault] += 1
        agent.set_delay(0)
        agent.set_fail_mode(None)
        port_file.os = os
        if not agent.listening:
            agent.start()
        if fault == DOWN:
            agent.stop()
        elif fault == SLOW:
            agent.set_delay(SLOW_DELAY)
        elif fault == ERROR:
            agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        elif fault == RESTART:
            agent.restart()
        elif fault in (DISK_FULL, READ_ONLY):
            port_file.os = _FaultyOs(fault)

    def _killed_child(self, conf):
        """Plug a batch of unplugged ports in a child, SIGKILLed midway."""
        batch = [vif for vif in self.random.sample(self.ports, 10)
                 if not self.plugged[vif.id]]
        pid = os.fork()
        if pid == 0:
            try:
                plugin = vrouter.VRouterPlugin(
                    getattr(conf, constants.CONFIG_GROUP),
                    lock_path=self.lock_path)
                for vif in batch:
                    try:
                        plugin.plug(vif, self.info)
                    except osv_exception.PlugException:
                        pass
            finally:
                os._exit(0)
        time.sleep(self.random.uniform(0, 0.01))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        self.faults[KILL] += 1
        # What the child did is unknown: Nova plugs these again when it
        # starts.
        for vif in batch:
            self.plugged[vif.id] = True
            self.failed[vif.id] = True

    # The run.

    def run(self):
        start = time.monotonic()
        conf = cfg.ConfigOpts()
        locks.lock_path_of(conf)
        agent = agent_stand_in.AgentStandIn(self.port_dir,
                                            check_devices=False)
        children = {}
        reports = {}
        try:
            self._seed_files()
            agent.start()
            self._configure(conf, agent.port)
            if self.actors:
                children = self._start_actors(self._config_file(agent.port))
            plugin = vrouter.VRouterPlugin(
                getattr(conf, constants.CONFIG_GROUP),
                lock_path=self.lock_path)
            for _ in range(self.operations):
                roll = self.random.random()
                if roll < self.kill_rate:
                    self._set_fault(agent, HEALTHY)
                    self._killed_child(conf)
                elif roll < self.kill_rate + self.fault_rate:
                    self._set_fault(agent, self.random.choice(FAULTS))
                elif roll < self.kill_rate + 2 * self.fault_rate:
                    self._set_fault(agent, HEALTHY)
                self._operate(plugin, self.random.choice(self.ports))
            self._set_fault(agent, HEALTHY)
            self.faults[HEALTHY] -= 1
            with open(self.settle_file, 'w'):
                pass
            reports = self._finish_actors(children)
            self._settle(agent, plugin)
            self._last_audit(agent)
            self._check(agent, reports)
            plugin.client.close()
        finally:
            port_file.os = os
            for child in children.values():
                if child.poll() is None:
                    child.kill()
                    child.wait()
            agent.close()
        leftover = [name for name in os.listdir(self.port_dir)
                    if name.endswith('.tmp')]
        expected = self._expected(reports)
        files = set(n for n in os.listdir(self.port_dir)
                    if not n.startswith('.'))
        return Report(self.operations, self.failures, self.faults,
                      self.violations, len(leftover),
                      time.monotonic() - start,
                      lost_registrations=len(expected - self._registered),
                      stale_files=len(files - expected) + len(leftover),
                      untyped=self.untyped,
                      actors={name: {k: report[k] for k in
                                     ('operations', 'failed')}
                              for name, report in reports.items()})

    def _settle(self, agent, plugin):
        for vif in self.ports:
            if vif.id in self.failed:
                self.plugged[vif.id] = not self.failed[vif.id]
                self._operate(plugin, vif)
                if vif.id in self.failed:
                    self.violations.append('retry of %s failed' % vif.id)
        agent.restart()

    def _last_audit(self, agent):
        """vrouter-port-audit --repair, no grace period: what is stale
        once everything settled goes (in this process: it is the last).
        """
        interfaces = [audit.Interface(vifs.INSTANCE, 'soak', vifs.mac_of(p),
                                      'ethernet', vifs.tap_name(p), None)
                      for p in self._domains()]
        args = port_audit.build_parser().parse_args([
            '--repair', '--json', '--grace_period', '0', '--config-file',
            self._config_file(agent.port)])
        with open(os.devnull, 'w') as devnull:
            stdout, sys.stdout = sys.stdout, devnull
            try:
                code = port_audit.run(args, lambda: interfaces)
            finally:
                sys.stdout = stdout
        if code not in (port_audit.EXIT_OK, port_audit.EXIT_DRIFT):
            self.violations.append('the last audit exited %s' % code)

    def _expected(self, reports):
        """The ports that must have a file and a registration."""
        expected = {i for i, plugged in self.plugged.items() if plugged}
        expected.update(self.foreign)
        cli = reports.get('vrouter-port-control')
        expected.update(cli['plugged'] if cli else ())
        return expected

    def _check(self, agent, reports):
        expected = sorted(self._expected(reports))
        files = sorted(n for n in os.listdir(self.port_dir)
                       if not n.startswith('.'))
        if files != expected:
            self.violations.append(
                'port files differ: %d extra, %d missing' % (
                    len(set(files) - set(expected)),
                    len(set(expected) - set(files))))
        registered = agent.ports()
        self._registered = set(registered)
        if sorted(registered) != expected:
            self.violations.append(
                'registrations differ: %d extra, %d missing' % (
                    len(set(registered) - set(expected)),
                    len(set(expected) - set(registered))))
        for port_id, text in self.foreign.items():
            if port_file.read(self.port_dir, port_id) != text:
                self.violations.append('the file of port %s of another '
                                       'client changed' % port_id)
        temps = [n for n in os.listdir(self.port_dir) if n.startswith('.')]
        if temps:
            self.violations.append('temporary files left: %s' % temps)
        for name in files:
            with open(os.path.join(self.port_dir, name), 'rb') as f:
                text = f.read()
            try:
                data = json.loads(text)
            except ValueError:
                self.violations.append('port file %s is not JSON: %r' % (
                    name, text[:80]))
                continue
            if name in registered and data != registered[name]:
                self.violations.append('port file %s differs from its '
                                       'registration' % name)
