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

"""Host boot at scale: re-plugging every port of a host (not a test).

When nova-compute starts, init_host plugs every VIF of every instance
again, one instance after the other; builds run up to
[DEFAULT]max_concurrent_builds (10) at once.  This plugs N kernel-datapath
ports once (the host's state before the restart: port files written, the
agent knows the ports), restarts the stand-in agent (it replays the port
files, as the real agent does when it restarts with the host), then times
plugging all N again through the plugin: serially, as init_host does, and
from 10 threads, as concurrent builds would.  Port files are durable
(fsync of file and directory) in a temporary directory; the stand-in
listens on loopback.  Target: under 2 s in total for 1000 ports.

Usage::

    python benchmarks/host_boot_bench.py [--ports 1000] [--threads 10]
"""

import argparse
import concurrent.futures
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oslo_config import cfg  # noqa: E402

from os_vif_vrouter import opts  # noqa: E402
from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter.tests import vifs  # noqa: E402
import plug_bench  # noqa: E402
from vrouter_testing import agent_stand_in  # noqa: E402


def _timed_plug(plugin, info, vif):
    start = time.perf_counter()
    plugin.plug(vif, info)
    return time.perf_counter() - start


def replug(plugin, info, ports, threads):
    """Plug every port again; (wall time, per-port latencies)."""
    start = time.perf_counter()
    if threads == 1:
        latencies = [_timed_plug(plugin, info, vif) for vif in ports]
    else:
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            latencies = list(pool.map(
                lambda vif: _timed_plug(plugin, info, vif), ports))
    return time.perf_counter() - start, latencies


def check(agent, port_dir, ports):
    files = sorted(n for n in os.listdir(port_dir) if not n.startswith('.'))
    expected = sorted(vif.id for vif in ports)
    if files != expected or sorted(agent.ports()) != expected:
        sys.exit('expected %d ports: the agent has %d, %d port files'
                 % (len(expected), len(agent.ports()), len(files)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ports', type=int, default=1000)
    parser.add_argument('--threads', type=int, default=10,
                        help="concurrent plugs (Nova's max_concurrent_builds"
                             " default)")
    args = parser.parse_args()

    port_dir = tempfile.mkdtemp(prefix='host-boot-bench-')
    opts.register_opts(cfg.CONF)
    cfg.CONF([], project='host_boot_bench')
    privsep.vif_plug.set_client_mode(False)
    ports = [vifs.kernel() for _ in range(args.ports)]
    info = vifs.instance_info()
    rows = []
    # The taps do not exist here: the stand-in must not skip the replayed
    # files for that (on a real host libvirt has recreated them).
    with agent_stand_in.AgentStandIn(port_dir, check_devices=False) as agent:
        agent.start()
        plugin = plug_bench.load_plugin(agent, port_dir)
        replug(plugin, info, ports, 1)  # the host before its restart
        for label, threads in (('serial (init_host)', 1),
                               ('%d threads (builds)' % args.threads,
                                args.threads)):
            before = len(agent.replayed)
            agent.restart()
            replayed = len(agent.replayed) - before
            wall, latencies = replug(plugin, info, ports, threads)
            check(agent, port_dir, ports)
            rows.append((label, replayed, wall, latencies))
        for vif in ports:
            plugin.unplug(vif, info)
    shutil.rmtree(port_dir)

    print('re-plugging %d kernel ports after an agent restart (durable port '
          'files, stand-in agent on loopback)' % args.ports)
    print('| %-20s | %8s | %10s | %10s | %10s | %8s |' % (
        'way', 'replayed', 'total s', 'median ms', 'p99 ms', 'ports/s'))
    print('|%s|' % '|'.join('-' * w for w in (22, 10, 12, 12, 12, 10)))
    for label, replayed, wall, latencies in rows:
        print('| %-20s | %8d | %10.3f | %10.3f | %10.3f | %8.0f |' % (
            label, replayed, wall, statistics.median(latencies) * 1000,
            plug_bench.p99(latencies) * 1000, len(latencies) / wall))


if __name__ == '__main__':
    main()
