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

"""Fault-injection soak of the plugin against the stand-in agent.

Random plug and unplug operations over a pool of ports of every kind
(kernel, DPDK, and offload when representor netdevs are given), through
one plugin, while the agent is at random healthy, down, slow beyond the
client's read timeout, answering 500 to everything, or restarting (and
replaying its port files); and while a child process plugging a batch of
ports is killed with SIGKILL at a random moment.

Then the run settles as a host does: the agent is healthy, the last
failed operation of each port is retried (Nova retries a failed plug or
unplug: at the next start of nova-compute, a hard reboot, a delete), and
the agent restarts once more, replaying its files.  The invariants:

- the port files are exactly the ports whose last operation was a plug,
  each a complete JSON object (never empty, never partial);
- the agent's registrations are exactly those ports, as their files say;
- every failed operation raised one of the plugin's typed errors.

Used by os_vif_vrouter/tests/integration/test_soak.py (short, fixed seed)
and benchmarks/soak_bench.py (long, prints the table).
"""

import collections
import json
import os
import random
import signal
import time

from os_vif import exception as osv_exception
from oslo_config import cfg

from os_vif_vrouter import constants
from os_vif_vrouter import opts
from os_vif_vrouter.tests import agent_stand_in
from os_vif_vrouter.tests import vifs
from os_vif_vrouter import vrouter

HEALTHY = 'healthy'
DOWN = 'down'
SLOW = 'slow'
ERROR = 'error-500'
RESTART = 'restart'
KILL = 'sigkill'
FAULTS = (DOWN, SLOW, ERROR, RESTART)

READ_TIMEOUT = 0.2  # the client's, in the soak
SLOW_DELAY = 0.3  # beyond it

Report = collections.namedtuple(
    'Report', 'operations failures faults violations leftover_temp wall')


class Soak(object):
    """One soak run; see the module docstring.

    :param work_dir: an empty directory for the port files and sockets
    :param representors: names of existing netdevs to use as the VFs'
        representors (offload ports); none: no offload ports
    """

    def __init__(self, work_dir, ports=200, operations=1000, seed=0,
                 representors=(), fault_rate=0.15, kill_rate=0.02):
        self.random = random.Random(seed)
        self.operations = operations
        self.fault_rate = fault_rate
        self.kill_rate = kill_rate
        self.port_dir = os.path.join(work_dir, 'ports')
        os.mkdir(self.port_dir)
        self.socket_dir = os.path.join(work_dir, 'sockets')
        os.mkdir(self.socket_dir)
        self.lock_path = os.path.join(work_dir, 'locks')
        self.map_path = os.path.join(work_dir, 'fallback_map')
        self.ports = self._make_ports(ports, list(representors))
        self.plugged = {vif.id: False for vif in self.ports}  # intent
        self.failed = {}  # port id -> the operation that failed last
        self.faults = collections.Counter()
        self.violations = []
        self.failures = 0
        self.info = vifs.instance_info(name='soak "guest" -- 1')

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

    def _configure(self, conf, agent_port):
        opts.register_opts(conf)
        for name, value in (('agent_port', agent_port),
                            ('port_dir', self.port_dir),
                            ('agent_connect_timeout', 0.5),
                            ('agent_listener_uid', os.geteuid()),
                            ('agent_read_timeout', READ_TIMEOUT),
                            ('vhostuser_agent_wait', 0.3),
                            ('vhostuser_socket_wait', 0.3),
                            ('sysfs_root', os.path.join(self.port_dir,
                                                        'no-sys')),
                            ('representor_map', self.map_path)):
            conf.set_override(name, value, group=constants.CONFIG_GROUP)

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
            self.violations.append('untyped %s from %s of %s: %s' % (
                type(exc).__name__, 'plug' if plug else 'unplug', vif.id,
                exc))
        else:
            self.failed.pop(vif.id, None)

    def _set_fault(self, agent, fault):
        self.faults[fault] += 1
        agent.set_delay(0)
        agent.set_fail_mode(None)
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
        agent = agent_stand_in.AgentStandIn(self.port_dir,
                                            check_devices=False)
        try:
            agent.start()
            self._configure(conf, agent.port)
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
            self._settle(agent, plugin)
            self._check(agent)
            plugin.client.close()
        finally:
            agent.close()
        leftover = [name for name in os.listdir(self.port_dir)
                    if name.endswith('.tmp')]
        return Report(self.operations, self.failures, self.faults,
                      self.violations, len(leftover),
                      time.monotonic() - start)

    def _settle(self, agent, plugin):
        self._set_fault(agent, HEALTHY)
        self.faults[HEALTHY] -= 1
        for vif in self.ports:
            if vif.id in self.failed:
                self.plugged[vif.id] = not self.failed[vif.id]
                self._operate(plugin, vif)
                if vif.id in self.failed:
                    self.violations.append('retry of %s failed' % vif.id)
        agent.restart()

    def _check(self, agent):
        expected = sorted(i for i, plugged in self.plugged.items() if plugged)
        files = sorted(n for n in os.listdir(self.port_dir)
                       if not n.startswith('.'))
        if files != expected:
            self.violations.append(
                'port files differ: %d extra, %d missing' % (
                    len(set(files) - set(expected)),
                    len(set(expected) - set(files))))
        registered = agent.ports()
        if sorted(registered) != expected:
            self.violations.append(
                'registrations differ: %d extra, %d missing' % (
                    len(set(registered) - set(expected)),
                    len(set(expected) - set(registered))))
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
