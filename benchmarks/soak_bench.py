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

"""Fault-injection soak of the plugin (not a test; prints a table).

See os_vif_vrouter/tests/soak.py for what is injected and checked.  As
root, offload ports get real representor netdevs (veth pairs made here
with ip(8), removed at the end); otherwise only kernel and DPDK ports.

Usage::

    python benchmarks/soak_bench.py [--operations 1000] [--ports 200]
                                    [--representors 20] [--seed N]

Exits 1 if any invariant was violated.
"""

import argparse
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter.tests import soak  # noqa: E402


def make_representors(count):
    names = []
    if os.geteuid() != 0 or not shutil.which('ip'):
        return names
    for _ in range(count):
        name = 'vrs%s' % uuid.uuid4().hex[:11]
        if subprocess.run(['ip', 'link', 'add', name, 'type', 'veth',
                           'peer', 'name', name + 'p'],
                          capture_output=True).returncode == 0:
            names.append(name)
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--operations', type=int, default=1000)
    parser.add_argument('--ports', type=int, default=200)
    parser.add_argument('--representors', type=int, default=20)
    parser.add_argument('--seed', type=int,
                        default=random.SystemRandom().randrange(2 ** 32))
    args = parser.parse_args()
    # The plugin's warnings (agent down, ...) are expected by the hundred.
    logging.basicConfig(level=logging.ERROR)
    privsep.vif_plug.set_client_mode(False)
    work_dir = tempfile.mkdtemp(prefix='soak-')
    representors = make_representors(args.representors)
    try:
        report = soak.Soak(work_dir, ports=args.ports,
                           operations=args.operations, seed=args.seed,
                           representors=representors).run()
    finally:
        for name in representors:
            subprocess.run(['ip', 'link', 'del', name], capture_output=True)
        shutil.rmtree(work_dir)

    print('soak: seed %d, %d ports (%d offload), %d operations'
          % (args.seed, args.ports, len(representors), report.operations))
    rows = [('operations', report.operations),
            ('failed operations (typed errors)', report.failures)]
    rows += [('fault: %s' % kind, report.faults[kind])
             for kind in soak.FAULTS + (soak.KILL, soak.HEALTHY)]
    rows += [('temporary files left by killed writers',
              report.leftover_temp),
             ('violations', len(report.violations)),
             ('wall time, s', '%.1f' % report.wall)]
    width = max(len(name) for name, _ in rows)
    print('| %s | value |' % 'what'.ljust(width))
    print('|%s|-------|' % ('-' * (width + 2)))
    for name, value in rows:
        print('| %s | %5s |' % (name.ljust(width), value))
    for violation in report.violations:
        print('VIOLATION: %s' % violation)
    return 1 if report.violations else 0


if __name__ == '__main__':
    sys.exit(main())
