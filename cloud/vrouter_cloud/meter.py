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

"""The cloud's memory, sampled until SIGTERM, then its peak printed.

    python -m vrouter_cloud.meter --top TOP [--interval S]

Sums the resident memory (RSS) of the cloud's processes: every process in
the process group of a service recorded in the run directory (with the
privsep daemons of nova-compute and the agent's dnsmasq), and the QEMU
processes of its domains.  Other engineers' processes on the machine are
not counted.  Shared pages are counted once per process, so the sum
overstates a little.
"""

import argparse
import os
import signal
import sys
import threading

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import procs


def _service_groups(processes):
    groups = set()
    for name in processes.names():
        pid = processes.pid(name)
        if pid is not None:
            groups.add(pid)
    return groups


def sample(processes):
    """(total RSS in bytes, process count) of the cloud now."""
    groups = _service_groups(processes)
    guest = ('guest=' + cloud_layout.DOMAIN_TEMPLATE.split('%')[0]).encode()
    total = count = 0
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                pgid = int(f.read().rsplit(')', 1)[1].split()[2])
            if pgid not in groups:
                with open('/proc/%s/cmdline' % entry, 'rb') as f:
                    if guest not in f.read():
                        continue
            with open('/proc/%s/statm' % entry) as f:
                pages = int(f.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        total += pages * os.sysconf('SC_PAGE_SIZE')
        count += 1
    return total, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--top', default=os.getcwd())
    parser.add_argument('--interval', type=float, default=5.0)
    args = parser.parse_args(argv)
    processes = procs.Processes(cloud_layout.Layout(args.top))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    peak = (0, 0)
    while True:
        peak = max(peak, sample(processes))
        if stop.wait(args.interval):
            break
    print('meter: peak memory of the cloud %.2f GiB (%d processes)' % (
        peak[0] / 2.0 ** 30, peak[1]), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
