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

"""Fault-injection soak of the plugin, its CLI and its audit (not a test;
prints a table).

See os_vif_vrouter/tests/soak.py for what is injected and checked:
vrouter-port-control and vrouter-port-audit --repair run beside the
plugin in processes of their own.  As root, offload ports get real
representor netdevs (veth pairs made here with ip(8), removed at the
end); otherwise only kernel and DPDK ports.

Usage::

    python benchmarks/soak_bench.py [--operations 2000] [--ports 200]
                                    [--representors 20] [--seeds 3]
                                    [--seed N]

Runs --seeds soaks (seeds N, N+1, ...) and exits 1 if any invariant was
violated in any of them.
"""

import argparse
import logging
import os
import random
import shutil
import sys
import tempfile
import uuid
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter.tests import soak  # noqa: E402
from vrouter_testing import iproute  # noqa: E402


def make_representors(count):
    names = []
    if os.geteuid() != 0 or not shutil.which('ip'):
        return names
    for _ in range(count):
        name = 'vrs%s' % uuid.uuid4().hex[:11]
        try:
            iproute.ip('link', 'add', name, 'type', 'veth', 'peer', 'name',
                       name + 'p')
        except iproute.CommandFailed:
            continue
        names.append(name)
    return names


def run_one(args, seed):
    work_dir = tempfile.mkdtemp(prefix='vrouter-soak-')
    representors = make_representors(args.representors)
    try:
        return soak.Soak(work_dir, ports=args.ports,
                         operations=args.operations, seed=seed,
                         representors=representors).run(), len(representors)
    finally:
        for name in representors:
            try:
                iproute.ip('link', 'del', name)
            except iproute.CommandFailed:
                pass  # gone with its peer
        shutil.rmtree(work_dir)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--operations', type=int, default=2000)
    parser.add_argument('--ports', type=int, default=200)
    parser.add_argument('--representors', type=int, default=20)
    parser.add_argument('--seeds', type=int, default=3)
    parser.add_argument('--seed', type=int,
                        default=random.SystemRandom().randrange(2 ** 32))
    args = parser.parse_args()
    # The plugin's warnings (agent down, ...) are expected by the hundred.
    logging.basicConfig(level=logging.CRITICAL)
    privsep.vif_plug.set_client_mode(False)
    seeds = [args.seed + i for i in range(args.seeds)]
    results = [(seed,) + run_one(args, seed) for seed in seeds]

    print('soak: %d ports, %d operations of the plugin a seed, with '
          'vrouter-port-control and vrouter-port-audit --repair in their '
          'own processes' % (args.ports, args.operations))
    rows = [('seed', [seed for seed, _, _ in results]),
            ('offload ports', [n for _, _, n in results])]

    def row(name, value):
        rows.append((name, [value(report) for _, report, _ in results]))

    row('plugin operations', lambda r: r.operations)
    row('failed plugin operations (typed errors)', lambda r: r.failures)
    for kind in soak.FAULTS + (soak.KILL, soak.HEALTHY):
        row('fault: %s' % kind, lambda r, kind=kind: r.faults[kind])
    for actor, failed in (
            ('vrouter-port-control', 'failed (exit codes 1-6)'),
            ('vrouter-port-audit', 'rounds that left drift (exit 1)')):
        row('%s operations' % actor,
            lambda r, a=actor: r.actors.get(a, {}).get('operations', 0))
        row('%s %s' % (actor, failed),
            lambda r, a=actor: r.actors.get(a, {}).get('failed', 0))
    row('lost registrations', lambda r: r.lost_registrations)
    row('stale files (temporary ones included)', lambda r: r.stale_files)
    row('untyped errors', lambda r: r.untyped)
    row('violations', lambda r: len(r.violations))
    row('wall time, s', lambda r: '%.1f' % r.wall)
    width = max(len(name) for name, _ in rows)
    print('| %s | %s |' % ('what'.ljust(width), ' | '.join(
        ('run %d' % (i + 1)).rjust(10) for i in range(len(results)))))
    print('|%s|%s|' % ('-' * (width + 2), '|'.join(
        '-' * 12 for _ in results)))
    for name, values in rows:
        print('| %s | %s |' % (name.ljust(width), ' | '.join(
            ('%s' % v).rjust(10) for v in values)))
    violated = False
    for seed, report, _ in results:
        for violation in report.violations:
            violated = True
            print('VIOLATION (seed %d): %s' % (seed, violation))
    return 1 if violated else 0


if __name__ == '__main__':
    sys.exit(main())
