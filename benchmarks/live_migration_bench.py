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

"""Network downtime of live migration on vRouter ports (not a test).

In the running test cloud with two nodes or more (``tools/cloud up``),
boots one server on the cloud's shared network and live-migrates it back
and forth between two nodes (block migration: the nodes share no
storage).  During each migration the namespace of the network's router
(outside the guest, where its traffic leaves the overlay) pings the
server's fixed address every 10 ms; a migration's downtime is the
packets lost times the interval (as ping kept it), and its longest gap
the longest time between two answers.
Also timed: the API call to ACTIVE on the destination.  Prints a table by
direction, with the median and the maximum.  TCG guests on a shared
2-core machine: the figures are noisy; compare the medians of one run.

Usage (as root, with the cloud up)::

    .cloud-build/venv/bin/python benchmarks/live_migration_bench.py \\
        [--migrations 10] [--interval 0.01]
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'cloud'))

from vrouter_cloud import bootstrap  # noqa: E402
from vrouter_cloud import layout as cloud_layout  # noqa: E402
from vrouter_cloud import neutron_view  # noqa: E402
from vrouter_cloud import router_namespace  # noqa: E402

_REPLY = re.compile(r'^\[(\d+\.\d+)\] .* icmp_seq=(\d+) ')


class Pinger(object):
    """ping from a router's namespace, every interval seconds."""

    def __init__(self, namespace, address, interval):
        self.interval = interval
        self._process = subprocess.Popen(
            ['ip', 'netns', 'exec', namespace, 'ping',
             '-n', '-D', '-i', str(interval), '-s', '16', address],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def stop(self):
        """(packets sent, answered, seconds between two sent, longest gap
        between answers in s).

        ping sends less often than asked when the machine is busy: the
        interval is what it really was (its run time over packets sent).
        """
        self._process.send_signal(signal.SIGINT)
        out, _ = self._process.communicate(timeout=30)
        times = [float(m.group(1)) for m in map(_REPLY.match,
                                                out.splitlines()) if m]
        summary = re.search(r'(\d+) packets transmitted, (\d+) received.*'
                            r'time (\d+)ms', out)
        sent = int(summary.group(1))
        interval = max(self.interval,
                       int(summary.group(3)) / 1000.0 / max(sent - 1, 1))
        gaps = [b - a for a, b in zip(times, times[1:])]
        return sent, len(times), interval, max(gaps) if gaps else None


def _wait(conn, server_id, predicate, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = conn.compute.get_server(server_id)
        if server.status == 'ERROR':
            raise RuntimeError('server %s in ERROR: %s' % (server_id,
                                                           server.fault))
        if predicate(server):
            return server
        time.sleep(0.2)
    raise RuntimeError('server %s: timed out' % server_id)


def _reachable(namespace, address, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(['ip', 'netns', 'exec', namespace, 'ping', '-c',
                           '1', '-W', '1', address],
                          capture_output=True).returncode == 0:
            return
    raise RuntimeError('%s does not answer pings' % address)


def migrate(conn, namespace, server, interval, settle=2.0):
    """One live migration; (source, destination, seconds, ping figures).

    :param namespace: the namespace of the server's network's router
    """
    source = server.compute_host
    address = server.addresses[bootstrap.SHARED_NETWORK][0]['addr']
    pinger = Pinger(namespace, address, interval)
    time.sleep(1.0)  # a second of answers before the move
    start = time.monotonic()
    conn.compute.live_migrate_server(server, host=None,
                                     block_migration='auto')
    server = _wait(conn, server.id, lambda s: s.status == 'ACTIVE' and
                   s.compute_host != source)
    elapsed = time.monotonic() - start
    time.sleep(settle)
    return (server, source, server.compute_host, elapsed) + pinger.stop()


def _row(name, values, unit='s'):
    if not values:
        return '%-34s %8s' % (name, '-')
    return '%-34s %8d %9.3f%s %9.3f%s %9.3f%s' % (
        name, len(values), statistics.median(values), unit, min(values),
        unit, max(values), unit)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--migrations', type=int, default=10,
                        help='live migrations each way (default 10)')
    parser.add_argument('--interval', type=float, default=0.01,
                        help='seconds between two pings (default 0.01)')
    args = parser.parse_args(argv)
    layout = cloud_layout.Layout(TOP)
    conn = bootstrap.connect(layout)
    with open(layout.nodes_file) as f:
        hosts = [n['host'] for n in json.load(f)['nodes']]
    if len(hosts) < 2:
        print('live_migration_bench: the cloud has one node; bring it up '
              'with two (tools/cloud up --nodes 2)')
        return 2
    network = conn.network.find_network(bootstrap.SHARED_NETWORK)
    # Pings go from the namespace that routes the network (the gateway's
    # choice).
    namespace = cloud_layout.router_netns(router_namespace.domain_of(
        network.id, neutron_view.Neutron(conn).router_interfaces()))
    server = conn.compute.create_server(
        name='vrc-lm-bench', flavor_id=conn.compute.find_flavor(
            bootstrap.FLAVOR).id,
        image_id=conn.image.find_image(bootstrap.IMAGE).id,
        networks=[{'uuid': network.id}])
    results = {}
    failed = 0
    try:
        server = _wait(conn, server.id, lambda s: s.status == 'ACTIVE')
        _reachable(namespace,
                   server.addresses[bootstrap.SHARED_NETWORK][0]['addr'])
        for _ in range(2 * args.migrations):
            try:
                (server, source, destination, elapsed, sent, answered,
                 interval, gap) = migrate(conn, namespace, server,
                                          args.interval)
            except RuntimeError as exc:
                print('live_migration_bench: %s' % exc)
                failed += 1
                server = conn.compute.get_server(server.id)
                if server.status != 'ACTIVE':
                    break
                continue
            results.setdefault((source, destination), []).append(
                (elapsed, (sent - answered) * interval, gap))
            print('%s -> %s: ACTIVE after %.1f s, %d of %d pings lost '
                  '(one every %.3f s), longest gap %.3f s' % (
                      source, destination, elapsed, sent - answered, sent,
                      interval, gap or 0), flush=True)
    finally:
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=300)
    print()
    print('Live migration of a server on a vRouter port (block migration, '
          'TCG), ping every %g s from its router\'s namespace' % args.interval)
    print('%-34s %8s %10s %10s %10s' % ('', 'moves', 'median', 'min',
                                        'max'))
    for (source, destination), rows in sorted(results.items()):
        print('%s -> %s' % (source, destination))
        print(_row('  downtime (lost x interval)', [r[1] for r in rows]))
        print(_row('  longest gap between answers',
                   [r[2] for r in rows if r[2] is not None]))
        print(_row('  API call to ACTIVE there', [r[0] for r in rows]))
    every = [r for rows in results.values() for r in rows]
    print(_row('all moves: downtime', [r[1] for r in every]))
    print('%d migrations failed' % failed)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
