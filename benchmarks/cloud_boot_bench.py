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

"""Boot time in the test cloud: vRouter ports against tap ports (not a test).

In the running test cloud (``tools/cloud up``), boots servers one at a
time on the shared network, alternating a port bound ``vrouter`` (the
series' driver, our os-vif plugin, the stand-in agent) and a port bound
``tap`` (Nova's generic tap path: Nova makes the tap, nothing registers
it; the test tree's ML2 driver binds it so on request), and times the API
call to ACTIVE for each.  The vRouter's own share is the os-vif plug of
each vRouter port, read from nova-compute's log ("Plugging vif" to
"Successfully plugged vif").  Prints the medians and the spread.  TCG
guests on a shared 2-core machine: the numbers are noisy, compare the
medians of one run.  A server that goes to ERROR is reported with its
fault and instance action events, the run goes on, and the exit status
is 1.

Usage (as root, with the cloud up)::

    .cloud-build/venv/bin/python benchmarks/cloud_boot_bench.py [--count 10]
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'cloud'))

import openstack  # noqa: E402

from vrouter_cloud import bootstrap  # noqa: E402
from vrouter_cloud import layout as cloud_layout  # noqa: E402
from vrouter_cloud import ml2_vrouter  # noqa: E402

KINDS = ('vrouter', 'tap')
_LOG_TIME = '%Y-%m-%d %H:%M:%S.%f'


class BootFailed(Exception):
    """A server that did not become ACTIVE, with what Nova said of it."""


def _why(conn, server):
    """The fault and the instance action events of a server in ERROR.

    The conductor saves the ERROR state before it adds the fault, so a
    server read at once can show no fault yet: read again for a while.
    """
    deadline = time.monotonic() + 30
    while not server.fault and time.monotonic() < deadline:
        time.sleep(1)
        server = conn.compute.get_server(server.id)
    events = []
    for action in conn.compute.server_actions(server):
        detail = conn.compute.get_server_action(action.request_id, server)
        for event in detail.events or ():
            events.append('%s %s: %s' % (action.action, event['event'],
                                         event.get('result')))
    return 'fault %s; events %s' % (server.fault, '; '.join(events))


def _boot(conn, network, flavor, image, kind, index):
    profile = ({ml2_vrouter.PROFILE_VIF_TYPE: 'tap'} if kind == 'tap'
               else {})
    port = conn.network.create_port(
        network_id=network.id, name='bench-%s-%d' % (kind, index),
        binding_profile=profile)
    start = time.monotonic()
    server = conn.compute.create_server(
        name='bench-%s-%d' % (kind, index), flavor_id=flavor.id,
        image_id=image.id, networks=[{'port': port.id}])
    while True:
        server = conn.compute.get_server(server.id)
        if server.status in ('ACTIVE', 'ERROR'):
            break
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    problem = None
    if server.status != 'ACTIVE':
        problem = '%s server %s went to ERROR: %s' % (
            kind, server.id, _why(conn, server))
    bound = conn.network.get_port(port.id).binding_vif_type
    if problem is None and bound != kind:
        problem = 'port %s bound %s, not %s' % (port.id, bound, kind)
    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, wait=300)
    conn.network.delete_port(port)
    if problem:
        raise BootFailed(problem)
    return port.id, elapsed


def _plug_times(log_path, port_ids):
    """{port id: seconds of os-vif's plug} from nova-compute's log."""
    started = {}
    times = {}
    pattern = re.compile(r'^(\S+ \S+) .*(Plugging vif|Successfully plugged '
                         r'vif) .*id=([0-9a-f-]{36})')
    with open(log_path, errors='replace') as f:
        for line in f:
            match = pattern.match(line)
            if not match or match.group(3) not in port_ids:
                continue
            when = datetime.datetime.strptime(match.group(1), _LOG_TIME)
            if match.group(2) == 'Plugging vif':
                started[match.group(3)] = when
            elif match.group(3) in started:
                times[match.group(3)] = (
                    when - started.pop(match.group(3))).total_seconds()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=10,
                        help='servers of each kind (default 10)')
    parser.add_argument('--warm-up', type=int, default=1,
                        help='servers of each kind booted first and not '
                             'counted (default 1): the first boot caches '
                             'the image and starts the privsep daemons')
    args = parser.parse_args()
    layout = cloud_layout.Layout(TOP)
    bootstrap.connect(layout)  # the cloud's clouds.yaml
    # A binding profile is for services (Neutron's policy): the servers
    # and ports are Nova's service account's.
    conn = openstack.connect(
        auth_url=layout.url('keystone', '/v3'), username='nova',
        password=layout.password, project_name='service',
        user_domain_name='Default', project_domain_name='Default',
        region_name='RegionOne')
    network = conn.network.find_network(bootstrap.SHARED_NETWORK)
    flavor = conn.compute.find_flavor(bootstrap.FLAVOR)
    image = conn.image.find_image(bootstrap.IMAGE)
    boots = {kind: [] for kind in KINDS}
    vrouter_ports = set()
    failures = []
    for index in range(-args.warm_up, args.count):
        for kind in KINDS:
            try:
                port_id, elapsed = _boot(conn, network, flavor, image, kind,
                                         index)
            except BootFailed as exc:
                # Keep measuring: the failures are reported at the end.
                print('%-8s %2d  FAILED: %s' % (kind, index, exc),
                      flush=True)
                failures.append(str(exc))
                continue
            if index < 0:
                print('%-8s %2s  %6.2f s (warm-up, not counted)' % (
                    kind, '-', elapsed), flush=True)
                continue
            boots[kind].append(elapsed)
            if kind == 'vrouter':
                vrouter_ports.add(port_id)
            print('%-8s %2d  %6.2f s' % (kind, index, elapsed), flush=True)
    plugs = list(_plug_times(layout.log('nova-compute'),
                             vrouter_ports).values())
    print()
    print('API call to ACTIVE, servers booted one at a time, after %d '
          'warm-up boot(s) of each kind' % args.warm_up)
    print('%-26s %6s %8s %8s %8s' % ('port binding', 'booted', 'median',
                                     'min', 'max'))
    for kind in KINDS:
        if not boots[kind]:
            print('%-26s %6d' % (kind, 0))
            continue
        print('%-26s %6d %7.2fs %7.2fs %7.2fs' % (
            kind, len(boots[kind]), statistics.median(boots[kind]),
            min(boots[kind]), max(boots[kind])))
    if plugs and boots['vrouter'] and boots['tap']:
        median_plug = statistics.median(plugs)
        print('%-26s %7.3fs %7.3fs %7.3fs' % (
            'os-vif plug (vrouter)', median_plug, min(plugs), max(plugs)))
        print('vRouter share of the boot: the plug is %.1f %% of the '
              'median boot; vrouter - tap medians: %+.2f s' % (
                  100 * median_plug / statistics.median(boots['vrouter']),
                  statistics.median(boots['vrouter']) -
                  statistics.median(boots['tap'])))
    for failure in failures:
        print('FAILED: %s' % failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
