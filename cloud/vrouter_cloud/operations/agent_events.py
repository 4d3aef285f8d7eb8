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

"""Scenarios 1 and 6: the vRouter agent killed and started again, and
down while servers boot.

The kernel datapath does not need the agent once a port is set up (the
cloud's datapath, like the vRouter module, keeps the taps on their
segments when the agent dies), so the running guests must not notice;
what the agent forgets it gets back from the port files, which it
replays at start, as the real agent does.

A kernel-mode agent skips for good a file whose tap does not exist when
it replays it (the agent's port API page of the docs): a boot whose plug
is done but whose domain has not started yet when the agent comes back
loses its registration until its port is plugged again (a nova-compute
restart, a hard reboot).  Scenario 1 starts the agent again while its
three boots may still be in that window, as an operator's restart would;
a port lost so is reported with the agent's reason, not avoided.
"""

import time

# Booted at once on the node.
BOOTS = 3
# How long the killed agent stays down, as a restart by its supervisor.
AGENT_DOWN_FOR = 2.0
SETTLE_TIMEOUT = 600
REGISTER_TIMEOUT = 120
REACH_TIMEOUT = 300

# What the plugin's messages say when the agent died under a request (the
# fault of a boot whose plug it cut): a clear fault, an expected ERROR.
_AGENT_FAULTS = ('vRouter agent',)

# Scenario 6's answer for DPDK ports: the cloud has no DPDK datapath, so
# this comes from the plugin and its tests, not from the run.
DPDK_NOTE = (
    'DPDK (vhost-user) ports, not run here (no DPDK datapath in the '
    'cloud): the plug cannot go on without the agent; it waits '
    '[os_vif_vrouter] vhostuser_agent_wait seconds with backoff and fails '
    'with AgentNotReady, leaving no port file; within agent_down_memory '
    'seconds after such a wait the next DPDK plugs try once and fail at '
    'once with AgentRecentlyDown; the boot ends in ERROR with that fault '
    '(os_vif_vrouter/tests/integration/test_plugin.py, TestDpdk)')


def _agent_fault(server_id, fault):
    return any(text in fault for text in _AGENT_FAULTS)


def agent_restart(h, result):
    """1. The agent SIGKILLed and started again: idle, then while three
    servers boot.
    """
    first, second = h.node(0), h.node(1)

    # Idle.
    start = time.monotonic()
    ports = h.ports_on(first)
    first.stop_agent(kill=True)
    time.sleep(AGENT_DOWN_FOR)
    h.mark_agent_logs()
    started = time.monotonic()
    first.start_agent()
    times, missing = h.registered(first, ports, REGISTER_TIMEOUT,
                                  since=started)
    h.not_registered(result, first, missing)
    result.notes.append(
        'idle, %s: %d of %d ports registered again from their files '
        'within %.1f s of the agent\'s start' % (
            first.name, len(times), len(ports),
            max(times.values()) if times else 0.0))
    h.check(result, start, time.monotonic())

    # Killed while three servers boot: once the first of them has its
    # port file (its plug is done: the plugin renames the file in place
    # once the agent took the port), the agent dies; the plugs under way
    # lose their connection (the boot fails with that fault) or find it
    # gone (the kernel port keeps its file for the replay).  It comes
    # back AGENT_DOWN_FOR later, whether the boots are over or not.
    start = time.monotonic()
    ports = h.ports_on(second)
    booted = [h.boot('ops-1-%d' % i, second.name) for i in range(BOOTS)]
    h.wait_port_file(second, [b.port_id for b in booted], SETTLE_TIMEOUT)
    second.stop_agent(kill=True)
    killed = time.monotonic()
    time.sleep(AGENT_DOWN_FOR)
    # What the agent registers from now on: the dead one's registrations
    # do not count.
    h.mark_agent_logs()
    second.start_agent()
    settled = h.servers.wait([b.id for b in booted], SETTLE_TIMEOUT)
    active = [b for b in booted if settled[b.id].status == 'ACTIVE']
    times, missing = h.registered(
        second, ports + [b.port_id for b in active], REGISTER_TIMEOUT)
    h.not_registered(result, second, missing)
    h.ping(active)
    unreachable = h.unreachable(active, start, REACH_TIMEOUT)
    if unreachable:
        result.failures.append('not answering pings %d s after their '
                               'boot: %s' % (REACH_TIMEOUT,
                                             ', '.join(unreachable)))
    result.notes.append(
        'during %d boots, %s: killed %.1f s after the first boot began, '
        'down %.0f s; %d ACTIVE, %d ERROR; %d of %d ports registered' % (
            BOOTS, second.name, killed - start, AGENT_DOWN_FOR,
            len(active), len(booted) - len(active), len(times),
            len(times) + len(missing)))
    h.check(result, start, time.monotonic(), expected_error=_agent_fault)


def agent_down(h, result):
    """6. The agent down while three servers boot on kernel ports."""
    node = h.node(0)
    start = time.monotonic()
    ports = h.ports_on(node)
    node.stop_agent()
    booted = [h.boot('ops-6-%d' % i, node.name) for i in range(BOOTS)]
    settled = h.servers.wait([b.id for b in booted], SETTLE_TIMEOUT)
    active = [b for b in booted if settled[b.id].status == 'ACTIVE']
    reader = h.reader(node)
    with_file = [b for b in active if reader.port_file(b.port_id)]
    result.notes.append(
        'agent down, %s: %d of %d boots ACTIVE, %d with their port file '
        'and nothing at the agent' % (node.name, len(active), len(booted),
                                      len(with_file)))
    if len(active) < len(booted):
        result.failures.append('%d kernel boots failed with the agent down'
                               % (len(booted) - len(active)))
    h.ping(active)
    h.mark_agent_logs()
    back = time.monotonic()
    node.start_agent()
    times, missing = h.registered(
        node, ports + [b.port_id for b in active], REGISTER_TIMEOUT,
        since=back)
    h.not_registered(result, node, missing)
    unreachable = h.unreachable(active, back, REACH_TIMEOUT)
    if unreachable:
        result.failures.append('not answering pings %d s after the '
                               'agent\'s start: %s' % (
                                   REACH_TIMEOUT, ', '.join(unreachable)))
    reached = [h.first_answer(b) for b in active
               if b.name not in unreachable]
    result.notes.append(
        'agent started: %d ports registered from their files within %.1f '
        's of its start, the new guests answering pings %s after it' % (
            len(times), max(times.values()) if times else 0.0,
            '%.1f s' % (max(reached) - back) if reached else '-'))
    result.notes.append(DPDK_NOTE)
    h.check(result, start, time.monotonic())
