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

"""Plug/unplug latency of the plugin against the stand-in agent (not a test).

Plugs then unplugs 1, 100 and 1000 kernel-datapath ports (VIFGeneric)
with the plugin, over HTTP on loopback to the stand-in agent, with
durable port files (fsync of the file and of the directory) in a
temporary directory; then does the same the classic way, one subprocess
per port running the project's own CLI (``python -m
os_vif_vrouter.cmd.port_control --oper=add|delete ...``), for a smaller
number of ports.

A subprocess per port costs the same for the 1st port as for the 1000th
(interpreter start, imports, one connection, one request, one file), so
its per-port figures do not depend on N: the classic total for N ports
is extrapolated linearly from the measured mean, and the speed-up compares
per-port medians and throughputs.  The plugin is warmed up with one
throw-away port (imports, first connection) before measuring, as it is
in a running nova-compute.

Usage::

    python benchmarks/plug_bench.py [--counts 1,100,1000] [--classic 20]
                                    [--privsep-daemon]

``--privsep-daemon`` (root only) runs the privileged entrypoints in a real
privsep daemon (CAP_NET_ADMIN) instead of in-process, as in nova-compute.
"""

import argparse
import atexit
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from oslo_config import cfg  # noqa: E402

from os_vif_vrouter import constants  # noqa: E402
from os_vif_vrouter import locks  # noqa: E402
from os_vif_vrouter import opts  # noqa: E402
from os_vif_vrouter import port_file  # noqa: E402
from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter.tests import vifs  # noqa: E402
from os_vif_vrouter import vrouter  # noqa: E402
from vrouter_testing import agent_stand_in  # noqa: E402


def p99(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


class Result(object):
    def __init__(self, way, count, plug, unplug, extrapolated=False):
        self.way = way
        self.count = count
        self.plug = plug
        self.unplug = unplug
        self.extrapolated = extrapolated

    @staticmethod
    def _stats(times):
        return (statistics.median(times) * 1000, p99(times) * 1000,
                len(times) / sum(times))

    def row(self):
        cells = [self.way, '%d%s' % (self.count,
                                     '*' if self.extrapolated else '')]
        for times in (self.plug, self.unplug):
            median, high, rate = self._stats(times)
            cells += ['%.3f' % median, '%.3f' % high, '%.0f' % rate]
        return cells


def start_daemon():
    if os.geteuid() != 0:
        sys.exit('--privsep-daemon needs root')
    helper = os.path.join(os.path.dirname(sys.executable), 'privsep-helper')
    os.environ['PYTHONPATH'] = os.pathsep.join(sys.path)
    cfg.CONF.set_override('helper_command', helper,
                          group=constants.PRIVSEP_CONFIG_GROUP)
    privsep.vif_plug.start()


def lock_path():
    """A temporary [oslo_concurrency] lock_path for this run, also for
    the CLI processes started here (OSLO_LOCK_PATH is its default).
    """
    if not os.environ.get('OSLO_LOCK_PATH'):
        path = tempfile.mkdtemp(prefix='vrouter-bench-locks-')
        atexit.register(shutil.rmtree, path, True)
        os.environ['OSLO_LOCK_PATH'] = path
    return os.environ['OSLO_LOCK_PATH']


def load_plugin(agent, port_dir):
    """The 'vrouter' plugin, configured for the stand-in and port_dir."""
    for name, value in (('agent_port', agent.port), ('port_dir', port_dir),
                        ('agent_listener_uid', os.geteuid())):
        cfg.CONF.set_override(name, value, group=constants.CONFIG_GROUP)
    locks.lock_path_of(cfg.CONF)
    cfg.CONF.set_override('lock_path', lock_path(), group='oslo_concurrency')
    return vrouter.VRouterPlugin.load('vrouter')


def bench_plugin(plugin, info, count):
    ports = [vifs.kernel() for _ in range(count)]
    plug, unplug = [], []
    for vif in ports:
        start = time.perf_counter()
        plugin.plug(vif, info)
        plug.append(time.perf_counter() - start)
    for vif in ports:
        start = time.perf_counter()
        plugin.unplug(vif, info)
        unplug.append(time.perf_counter() - start)
    return plug, unplug


def cli_args(agent, port_dir, vif, oper):
    args = [sys.executable, '-m', 'os_vif_vrouter.cmd.port_control',
            '--oper=' + oper, '--uuid=' + vif.id,
            '--agent_port=%d' % agent.port, '--port_json_path=' + port_dir]
    if oper == 'add':
        args += ['--instance_uuid=' + vifs.INSTANCE,
                 '--vn_uuid=' + vifs.NETWORK,
                 '--vm_project_uuid=' + vifs.PROJECT_HEX,
                 '--ip_address=10.0.0.5', '--ipv6_address=2001:db8::5',
                 '--vm_name=web-1', '--mac=' + vif.address,
                 '--tap_name=' + vif.vif_name, '--port_type=NovaVMPort',
                 '--tx_vlan_id=-1', '--rx_vlan_id=-1']
    return args


def bench_classic(agent, port_dir, count):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path),
               PYTHONWARNINGS='ignore')
    ports = [vifs.kernel() for _ in range(count)]
    results = {'add': [], 'delete': []}
    for oper in ('add', 'delete'):
        for vif in ports:
            start = time.perf_counter()
            subprocess.run(cli_args(agent, port_dir, vif, oper), env=env,
                           check=True)
            results[oper].append(time.perf_counter() - start)
    return results['add'], results['delete']


def bench_durable_write(port_dir, count=200):
    """The disk's share: one durable port file write, alone."""
    data = b'x' * 450  # a port file's size
    times = []
    for vif in [vifs.kernel() for _ in range(count)]:
        start = time.perf_counter()
        port_file.write(port_dir, vif.id, data)
        times.append(time.perf_counter() - start)
    for vif_id in os.listdir(port_dir):
        port_file.remove(port_dir, vif_id)
    return times


def check(agent, port_dir, expected):
    files = [n for n in os.listdir(port_dir) if not n.startswith('.')]
    if len(files) != expected or len(agent.ports()) != expected:
        sys.exit('expected %d ports, the agent has %d, %d port files'
                 % (expected, len(agent.ports()), len(files)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--counts', default='1,100,1000')
    parser.add_argument('--classic', type=int, default=20,
                        help='ports plugged the classic way')
    parser.add_argument('--privsep-daemon', action='store_true')
    args = parser.parse_args()

    port_dir = tempfile.mkdtemp(prefix='plug-bench-')
    disk = bench_durable_write(port_dir)
    opts.register_opts(cfg.CONF)
    cfg.CONF([], project='plug_bench')
    if args.privsep_daemon:
        start_daemon()
    else:
        privsep.vif_plug.set_client_mode(False)

    with agent_stand_in.AgentStandIn(port_dir, check_devices=False) as agent:
        agent.start()
        plugin = load_plugin(agent, port_dir)
        info = vifs.instance_info()
        bench_plugin(plugin, info, 1)  # warm-up

        results = []
        for count in [int(c) for c in args.counts.split(',')]:
            plug, unplug = bench_plugin(plugin, info, count)
            check(agent, port_dir, 0)
            results.append(Result('plugin', count, plug, unplug))

        add, delete = bench_classic(agent, port_dir, args.classic)
        check(agent, port_dir, 0)
        classic = Result('classic CLI', args.classic, add, delete)
    shutil.rmtree(port_dir)

    print('port files in %s, durable (fsync of file and directory); '
          'privileged calls %s; * = classic, one subprocess per port'
          % (port_dir, 'through the privsep daemon' if args.privsep_daemon
             else 'in-process'))
    print('one durable port file write alone (the disk\'s share): median '
          '%.3f ms, p99 %.3f ms' % (statistics.median(disk) * 1000,
                                    p99(disk) * 1000))
    header = ['way', 'ports', 'plug median ms', 'plug p99 ms', 'plug/s',
              'unplug median ms', 'unplug p99 ms', 'unplug/s']
    rows = [r.row() for r in results] + [classic.row()]
    widths = [max(len(h), *(len(r[i]) for r in rows))
              for i, h in enumerate(header)]

    def line(cells):
        return '| ' + ' | '.join(c.rjust(w) for c, w in
                                 zip(cells, widths)) + ' |'

    print(line(header))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for row in rows:
        print(line(row))

    classic_mean = statistics.mean(classic.plug)
    classic_median = statistics.median(classic.plug)
    print()
    for result in results:
        plugin_total = sum(result.plug)
        print('N=%-5d plugin plug total %.3f s; classic, extrapolated from '
              '%d ports: %.1f s (%d x %.1f ms mean); speed-up: %.0fx by '
              'median latency, %.0fx by throughput'
              % (result.count, plugin_total, args.classic,
                 result.count * classic_mean, result.count,
                 classic_mean * 1000,
                 classic_median / statistics.median(result.plug),
                 result.count * classic_mean / plugin_total))


if __name__ == '__main__':
    main()
