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

"""The cloud-operations job, on a cloud that is up with two nodes.

    python -m vrouter_cloud.operations.job --top TOP [--servers 10]
        [--scenarios 4,1,2,3,5,6] [--subunit FILE]

Boots the servers on vRouter ports, alternately on the two nodes, pings
every guest every 10 ms from the namespace of their network's router for
the whole run, runs each scenario, removes what it booted and checks the
nodes after each (``harness``), prints the table and ``N scenarios
passed, N failed``, and writes the set-up and the scenarios as tests of
a subunit stream (for ``tools/run-tests``).  The in-place upgrade (4)
must come first: its node starts on stock Nova with the vendor's plugin
before any server boots, so that the servers it hosts get the classic
script's files; the other scenarios then run on two upgraded nodes.
``tools/cloud-operations-job`` brings the cloud up and down around it.
"""

import argparse
import collections
import datetime
import subprocess
import sys
import time

import openstack
from vrouter_testing import iproute

from vrouter_cloud import bootstrap
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import node as cloud_node
from vrouter_cloud.operations import agent_events
from vrouter_cloud.operations import compute_restart
from vrouter_cloud.operations import full_disk
from vrouter_cloud.operations import harness
from vrouter_cloud.operations import reboot
from vrouter_cloud.operations import report
from vrouter_cloud.operations import upgrade
from vrouter_cloud.operations import waits
from vrouter_cloud import procs
from vrouter_cloud import underlay

# The kernel datapath does not depend on the agent or on nova-compute
# once a port is set up: no ping gap above this where the issue says so.
GAP_LIMIT = 0.1

Scenario = collections.namedtuple('Scenario', 'title function gap_limit')
SCENARIOS = {
    1: Scenario('agent killed, started', agent_events.agent_restart,
                GAP_LIMIT),
    2: Scenario('nova-compute restart', compute_restart.compute_restart,
                GAP_LIMIT),
    3: Scenario('host reboot', reboot.host_reboot, None),
    4: Scenario('in-place upgrade', upgrade.in_place_upgrade, GAP_LIMIT),
    5: Scenario('port-file disk full', full_disk.full_disk, None),
    6: Scenario('agent down, boots', agent_events.agent_down, None),
}
UPGRADE = 4
DEFAULT_ORDER = '4,1,2,3,5,6'
BOOT_TIMEOUT = 900
REACH_TIMEOUT = 600

# What a scenario may fail with: reported, and the next one runs.  Any
# other exception is a bug of the job, and ends it.
SCENARIO_ERRORS = (waits.TimedOut, procs.ServiceFailed,
                   underlay.VethLingers, iproute.CommandFailed,
                   upgrade.UpgradeFailed,
                   openstack.exceptions.SDKException,
                   subprocess.CalledProcessError, subprocess.TimeoutExpired,
                   OSError)


def scenario_order(text):
    """The scenarios' numbers, in the order to run them.

    :raises: ValueError for an unknown or repeated number, or an upgrade
        that does not come first
    """
    try:
        order = [int(n) for n in text.split(',')]
    except ValueError:
        raise ValueError('not a list of numbers: %r' % text)
    unknown = [n for n in order if n not in SCENARIOS]
    if unknown or len(set(order)) != len(order):
        raise ValueError('scenarios are %s, each once: %r' % (
            ', '.join(str(n) for n in sorted(SCENARIOS)), text))
    if UPGRADE in order and order[0] != UPGRADE:
        raise ValueError('the in-place upgrade (%d) must come first: its '
                         'node starts on stock Nova' % UPGRADE)
    return order


def _boot_base(h, count):
    """count servers, alternately on each node, all ACTIVE and answering.

    :raises: harness.SetUpFailed naming those that are not
    """
    start = time.monotonic()
    nodes = list(h.nodes.values())
    booted = [h.servers.boot('ops-base-%02d' % i,
                             nodes[i % len(nodes)].name)
              for i in range(count)]
    h.base = booted
    settled = h.servers.wait([b.id for b in booted], BOOT_TIMEOUT)
    failed = [b for b in booted if settled[b.id].status != 'ACTIVE']
    if failed:
        raise harness.SetUpFailed('servers not ACTIVE: %s' % '; '.join(
            '%s: %s' % (b.name, h.servers.fault(b.id)) for b in failed))
    h.ping(booted)
    unreachable = h.unreachable(booted, start, REACH_TIMEOUT)
    if unreachable:
        raise harness.SetUpFailed('servers not answering pings after %d s: '
                                  '%s' % (REACH_TIMEOUT,
                                          ', '.join(unreachable)))
    h.say('%d servers ACTIVE and answering pings in %.0f s: %s' % (
        count, time.monotonic() - start, ', '.join(
            '%s %s on %s' % (b.name, b.address, b.host) for b in booted)))


def _restore(h):
    """After a scenario that failed half way: every node and service up,
    and the pinger (its records start again).

    :raises: what starting them raises (the job cannot go on)
    """
    if not h.processes.running(harness.PINGER):
        h.start_pinger()
    for node in h.nodes.values():
        if not node.processes.running(node.service(cloud_node.NAMESPACES)):
            node.start()  # powered off: boot it
            continue
        if not node.processes.running(node.service(cloud_node.AGENT)):
            node.start_agent()
        if not node.processes.running(node.service(cloud_node.COMPUTE)):
            node.start_compute()


def run_scenario(h, number):
    """Run one scenario, remove what it booted, check; its Result."""
    scenario = SCENARIOS[number]
    result = report.Result(number, scenario.title, scenario.gap_limit)
    h.say('scenario %d: %s' % (number, scenario.title))
    start = time.monotonic()
    try:
        scenario.function(h, result)
    except SCENARIO_ERRORS as exc:
        result.failures.append('%s: %s' % (type(exc).__name__, exc))
        h.say('%d: %s' % (number, result.failures[-1]))
        _restore(h)
        if number == UPGRADE:
            upgrade.fall_back(h)
            result.notes.append('%s back on the cloud\'s own virtualenv '
                                '(the patched Nova, our plugin)' %
                                h.node(1).name)
    # Whatever it booted goes, and nothing of it may stay.
    try:
        h.remove_booted()
        h.check(result, 0, 0, pings=False)
    except SCENARIO_ERRORS as exc:
        result.failures.append('after it, %s: %s' % (type(exc).__name__,
                                                     exc))
    result.notes.append('took %.0f s' % (time.monotonic() - start))
    report.judge(result)
    for note in result.notes:
        h.say('%d: %s' % (number, note))
    for failure in result.failures:
        h.say('%d: FAILED: %s' % (number, failure))
    return result


def write_subunit(path, results, started, set_up_error):
    """The set-up and the scenarios as tests of a subunit v2 stream."""
    from subunit import v2

    def test(stream, test_id, passed, details):
        stream.status(test_id=test_id, test_status='inprogress',
                      timestamp=started)
        stream.status(test_id=test_id, file_name='details',
                      file_bytes=details.encode('utf-8'),
                      mime_type='text/plain; charset=utf8', eof=True)
        stream.status(test_id=test_id,
                      test_status='success' if passed else 'fail',
                      timestamp=datetime.datetime.now(datetime.timezone.utc))

    with open(path, 'wb') as f:
        stream = v2.StreamResultToBytes(f)
        test(stream, 'cloud_operations.set_up', set_up_error is None,
             set_up_error or 'the servers ACTIVE and answering pings')
        for result in results:
            test(stream, 'cloud_operations.scenario_%d' % result.number,
                 result.passed, '\n'.join(
                     result.notes + ['FAILED: ' + failure
                                     for failure in result.failures]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--top', required=True)
    parser.add_argument('--servers', type=int, default=10,
                        help='servers pinged for the whole run, '
                             'alternately on each node (default 10)')
    parser.add_argument('--scenarios', default=DEFAULT_ORDER,
                        help='their numbers, in the order to run them '
                             '(default %s)' % DEFAULT_ORDER)
    parser.add_argument('--subunit', help='write the results there')
    args = parser.parse_args(argv)
    try:
        order = scenario_order(args.scenarios)
    except ValueError as exc:
        parser.error(str(exc))
    if args.servers < 2:
        parser.error('--servers: at least 2, one on each node')
    layout = cloud_layout.Layout(args.top)
    started = datetime.datetime.now(datetime.timezone.utc)
    results = []
    set_up_error = None
    h = None
    try:
        h = harness.Harness(layout, bootstrap.connect(layout))
        h.start_pinger()
        if UPGRADE in order:
            upgrade.start_on_stock(h, h.node(1))
        _boot_base(h, args.servers)
    except (harness.SetUpFailed,) + SCENARIO_ERRORS as exc:
        set_up_error = '%s: %s' % (type(exc).__name__, exc)
        print('cloud-operations: set-up failed: %s' % set_up_error,
              flush=True)
    try:
        if set_up_error is None:
            for number in order:
                results.append(run_scenario(h, number))
    finally:
        if h is not None:
            h.stop_pinger()
        for line in report.table(results):
            print(line, flush=True)
        if args.subunit:
            write_subunit(args.subunit, results, started, set_up_error)
    passed = set_up_error is None and all(r.passed for r in results)
    return 0 if passed else 1


if __name__ == '__main__':
    sys.exit(main())
