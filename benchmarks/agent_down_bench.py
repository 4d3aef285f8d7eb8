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

"""nova-compute's start with the vRouter agent down (not a test).

When nova-compute starts, init_host plugs every VIF again, one after the
other.  A DPDK port needs the agent: each plug waits for it up to
[os_vif_vrouter] vhostuser_agent_wait (120 s by default) before it
fails.  This plugs N DPDK ports serially through the plugin while the
stand-in agent refuses connections (its port reserved, not listening),
with agent_down_memory 0 (every plug waits: the behaviour before the
memory) and with the memory on (one wait, then each plug fails at once
until the agent answers).  The wait is scaled down (--agent-wait); the
last column projects the totals to the default 120 s wait.

Usage::

    python benchmarks/agent_down_bench.py [--ports 100] [--agent-wait 0.5]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from os_vif import exception as osv_exception  # noqa: E402
from oslo_config import cfg  # noqa: E402

from os_vif_vrouter import constants  # noqa: E402
from os_vif_vrouter import opts  # noqa: E402
from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter.tests import vifs  # noqa: E402
import plug_bench  # noqa: E402
from vrouter_testing import agent_stand_in  # noqa: E402

DEFAULT_WAIT = constants.CLASSIC_AGENT_WAIT


def replug(plugin, ports, info):
    """Plug every port, serially; (wall time, failures)."""
    failures = 0
    start = time.perf_counter()
    for vif in ports:
        try:
            plugin.plug(vif, info)
        except osv_exception.PlugException:
            failures += 1
    return time.perf_counter() - start, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ports', type=int, default=100)
    parser.add_argument('--agent-wait', type=float, default=0.5,
                        help='vhostuser_agent_wait for the run, seconds')
    args = parser.parse_args()

    work_dir = tempfile.mkdtemp(prefix='vrouter-agent-down-bench-')
    port_dir = os.path.join(work_dir, 'ports')
    os.mkdir(port_dir)
    opts.register_opts(cfg.CONF)
    cfg.CONF([], project='agent_down_bench')
    privsep.vif_plug.set_client_mode(False)
    info = vifs.instance_info()
    ports = [vifs.dpdk(os.path.join(work_dir, 'uvh_vif_%d' % i))
             for i in range(args.ports)]
    rows = []
    # Never started: its port is reserved and refuses connections.
    with agent_stand_in.AgentStandIn(port_dir) as agent:
        cfg.CONF.set_override('vhostuser_agent_wait', args.agent_wait,
                              group=constants.CONFIG_GROUP)
        for label, memory in (('every plug waits (memory 0)', 0.0),
                              ('agent_down_memory %d s (default)'
                               % cfg.CONF.os_vif_vrouter.agent_down_memory,
                               None)):
            if memory is None:
                cfg.CONF.clear_override('agent_down_memory',
                                        group=constants.CONFIG_GROUP)
            else:
                cfg.CONF.set_override('agent_down_memory', memory,
                                      group=constants.CONFIG_GROUP)
            plugin = plug_bench.load_plugin(agent, port_dir)
            wall, failures = replug(plugin, ports, info)
            waits = len(ports) if memory == 0 else 1
            projected = wall + waits * (DEFAULT_WAIT - args.agent_wait)
            rows.append((label, failures, wall, projected))
            plugin.client.close()
        leftover = os.listdir(port_dir)
    shutil.rmtree(work_dir)

    print('nova-compute start, agent down: %d DPDK ports re-plugged '
          'serially, vhostuser_agent_wait %.2f s (stand-in refusing '
          'connections on loopback; timings are noisy on a shared host)'
          % (args.ports, args.agent_wait))
    print('| %-34s | %6s | %9s | %12s | %23s |' % (
        'way', 'failed', 'total s', 'per port ms',
        'projected at %d s wait' % DEFAULT_WAIT))
    print('|%s|' % '|'.join('-' * w for w in (36, 8, 11, 14, 25)))
    for label, failures, wall, projected in rows:
        print('| %-34s | %6d | %9.2f | %12.1f | %21.0f s |' % (
            label, failures, wall, wall * 1000 / len(ports), projected))
    if leftover:
        sys.exit('port files left: %s' % leftover)


if __name__ == '__main__':
    main()
