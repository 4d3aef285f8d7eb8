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

"""A DPDK node against a kernel node: boot time and ping (not a test).

In the running test cloud with a kernel node and a DPDK node
(``tools/cloud up --nodes 1 --dpdk-nodes 1``), boots servers one at a
time on the shared network, alternating the first kernel node (a tap
on the network's segment) and the first DPDK node (a vhost-user port
that QEMU serves, file-backed guest memory, a testpmd forwarding the
socket to the segment), each asked for by zone and host (``nova:HOST``,
``dpdk:HOST``: a server that asks for Nova's default zone ``nova`` may
land on any node, as placement filters only the zones that aggregates
make), and for each:

- the API call to ACTIVE;
- the round trip of pings from the namespace of the network's router
  (where its traffic leaves the overlay), once the guest answers: each
  reply's time, as ping reports it.

Prints the medians of each zone and the DPDK node's over the kernel
node's.  The guests run under TCG on a shared 2-core machine, and the
forwarders busy-poll at the lowest priority: only the ratio within one
run means something, never the absolute figures, nor a comparison with
a DPDK vRouter on real hardware.  A server that goes to ERROR or never
answers is reported, the run goes on, and the exit status is 1.

Usage (as root, with the cloud up)::

    .cloud-build/venv/bin/python benchmarks/dpdk_node_bench.py \\
        [--count 3] [--pings 20]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'cloud'))

from vrouter_cloud import bootstrap  # noqa: E402
from vrouter_cloud import dpdk_node  # noqa: E402
from vrouter_cloud import layout as cloud_layout  # noqa: E402
from vrouter_cloud import neutron_view  # noqa: E402
from vrouter_cloud import node as cloud_node  # noqa: E402
from vrouter_cloud import router_namespace  # noqa: E402

ZONES = (cloud_node.Node.ZONE, dpdk_node.ZONE)
_RTT = re.compile(r' time=([0-9.]+) ms')
# From ACTIVE until the guest answers: its kernel and init under TCG.
ANSWER_TIMEOUT = 300


class Failed(Exception):
    """A server that did not boot, or does not answer."""


def _active(conn, server, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = conn.compute.get_server(server.id)
        if server.status == 'ACTIVE':
            return server
        if server.status == 'ERROR':
            raise Failed('server %s in ERROR: %s' % (server.id,
                                                     server.fault))
        time.sleep(0.1)
    raise Failed('server %s not ACTIVE after %d s' % (server.id, timeout))


def _ping(namespace, address, count, interval=0.2):
    """The round trips (ms) of count pings, or [] if none came back."""
    result = subprocess.run(
        ['ip', 'netns', 'exec', namespace, 'ping', '-n', '-c', str(count),
         '-i', str(interval), '-W', '2', address],
        capture_output=True, text=True, timeout=count * (interval + 2) + 10)
    return [float(m.group(1)) for m in map(_RTT.search,
                                           result.stdout.splitlines()) if m]


def _answers(namespace, address):
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        if _ping(namespace, address, 1):
            return
    raise Failed('%s does not answer pings after %d s' % (address,
                                                          ANSWER_TIMEOUT))


def measure(conn, network, namespace, zone, host, name, pings):
    """(seconds from the API call to ACTIVE, host, [round trips in ms])."""
    start = time.monotonic()
    server = conn.compute.create_server(
        name=name, availability_zone='%s:%s' % (zone, host),
        flavor_id=conn.compute.find_flavor(bootstrap.FLAVOR).id,
        image_id=conn.image.find_image(bootstrap.IMAGE).id,
        networks=[{'uuid': network.id}])
    try:
        server = _active(conn, server)
        elapsed = time.monotonic() - start
        address = server.addresses[network.name][0]['addr']
        _answers(namespace, address)
        return elapsed, server.compute_host, _ping(namespace, address,
                                                   pings)
    finally:
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=300)


def _median(values):
    return statistics.median(values) if values else None


def _row(name, kernel, dpdk, unit):
    cells = ['%9.2f %s' % (v, unit) if v is not None else '%12s' % '-'
             for v in (kernel, dpdk)]
    ratio = ('%7.2f' % (dpdk / kernel) if kernel and dpdk is not None
             else '%7s' % '-')
    return '%-28s %s %s %s' % (name, cells[0], cells[1], ratio)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=3,
                        help='servers in each zone (default 3)')
    parser.add_argument('--pings', type=int, default=20,
                        help='pings of each server (default 20)')
    parser.add_argument('--warm-up', type=int, default=1,
                        help='servers of each zone booted first and not '
                             'counted (default 1): the first boot on a '
                             'node caches the image')
    args = parser.parse_args(argv)
    layout = cloud_layout.Layout(TOP)
    with open(layout.nodes_file) as f:
        hosts = {}
        for entry in json.load(f)['nodes']:
            hosts.setdefault(entry['zone'], entry['host'])
    if not set(ZONES) <= set(hosts):
        print('dpdk_node_bench: the cloud needs a kernel node and a DPDK '
              'node (tools/cloud up --nodes 1 --dpdk-nodes 1)')
        return 2
    conn = bootstrap.connect(layout)
    network = conn.network.find_network(bootstrap.SHARED_NETWORK)
    namespace = cloud_layout.router_netns(router_namespace.domain_of(
        network.id, neutron_view.Neutron(conn).router_interfaces()))
    boots = {zone: [] for zone in ZONES}
    rtts = {zone: [] for zone in ZONES}
    failures = []
    for index in range(-args.warm_up, args.count):
        for zone in ZONES:
            try:
                elapsed, host, times = measure(
                    conn, network, namespace, zone, hosts[zone],
                    'vrc-dpdk-bench-%s-%d' % (zone, index), args.pings)
            except Failed as exc:
                print('%-5s %2d  FAILED: %s' % (zone, index, exc),
                      flush=True)
                failures.append(str(exc))
                continue
            print('%-5s %2s  %s: ACTIVE after %.2f s, %d of %d pings '
                  'answered, median %.2f ms%s' % (
                      zone, index if index >= 0 else '-', host, elapsed,
                      len(times), args.pings, _median(times) or 0,
                      ' (warm-up, not counted)' if index < 0 else ''),
                  flush=True)
            if index >= 0:
                boots[zone].append(elapsed)
                rtts[zone].extend(times)
    kernel, dpdk = ZONES
    print()
    print('A kernel node (%s) against a DPDK node (%s), one run, TCG '
          'guests: only the ratio means something' % (hosts[kernel],
                                                      hosts[dpdk]))
    print('%-28s %12s %12s %7s' % ('median of', 'kernel', 'DPDK',
                                   'ratio'))
    print(_row('API call to ACTIVE (%d each)' % args.count,
               _median(boots[kernel]), _median(boots[dpdk]), 's '))
    print(_row('ping round trip (%d, %d)' % (len(rtts[kernel]),
                                             len(rtts[dpdk])),
               _median(rtts[kernel]), _median(rtts[dpdk]), 'ms'))
    for failure in failures:
        print('FAILED: %s' % failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
