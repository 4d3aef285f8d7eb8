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

"""Scenario 2: nova-compute stopped and started, and killed in a boot.

At start, nova-compute's ``init_host`` plugs every port of its running
servers again.  The plugin finds each port file unchanged and only adds
the port again (the agent bumps its version): no DELETE at the agent,
and the guests do not notice.  A boot cut by a SIGKILL after its plug
ends, at the next start, in ERROR (Nova's ``_init_instance`` does that to
an instance it finds building, without a fault, and leaves its domain);
what is left of it must be something the audit finds consistent, and
its deletion removes the rest.
"""

import time

REPLUG_TIMEOUT = 300
SETTLE_TIMEOUT = 600


def _deletes(h, result, node):
    deletes = h.deletes(node)
    if deletes:
        result.failures.append('%d DELETE at the agent of %s: %s' % (
            len(deletes), node.name, ', '.join(deletes)))
    return deletes


def compute_restart(h, result):
    first, second = h.node(0), h.node(1)

    # SIGTERM, then start.
    start = time.monotonic()
    ports = h.ports_on(first)
    h.mark_agent_logs()
    first.stop_compute()
    first.start_compute()
    times, missing = h.registered(first, ports, REPLUG_TIMEOUT,
                                  since=first.compute_started_at)
    if missing:
        result.failures.append('%s: init_host did not plug again: %s' % (
            first.name, ', '.join(missing)))
    deletes = _deletes(h, result, first)
    result.notes.append(
        'SIGTERM, %s: init_host plugged %d of %d ports again within %.1f s '
        'of the start; %d DELETE at the agent' % (
            first.name, len(times), len(ports),
            max(times.values()) if times else 0.0, len(deletes)))
    h.check(result, start, time.monotonic())

    # SIGKILL in the middle of a boot: the port plugged (a plug comes
    # just before libvirt defines the domain), the boot not done.
    start = time.monotonic()
    ports = h.ports_on(second)
    booted = h.boot('ops-2-killed', second.name)
    h.wait_domain(second, booted, SETTLE_TIMEOUT)
    appeared = time.monotonic()
    second.stop_compute(kill=True)
    killed_at = time.monotonic()
    plugged = h.reader(second).port_file(booted.port_id) is not None
    h.mark_agent_logs()
    second.start_compute()
    times, missing = h.registered(second, ports, REPLUG_TIMEOUT,
                                  since=second.compute_started_at)
    if missing:
        result.failures.append('%s: init_host did not plug again: %s' % (
            second.name, ', '.join(missing)))
    server = h.servers.wait([booted.id], SETTLE_TIMEOUT)[booted.id]
    deletes = _deletes(h, result, second)
    result.notes.append(
        'SIGKILL in a boot, %s: killed %.2f s after libvirt had its domain '
        '(its port %s); after the start, init_host plugged %d of %d '
        'running ports again, %d DELETE at the agent; the interrupted '
        'server is %s (fault: %s), its domain %s' % (
            second.name, killed_at - appeared,
            'plugged' if plugged else 'not plugged', len(times), len(ports),
            len(deletes), server.status,
            (server.fault or {}).get('message', 'none'),
            'defined' if server.instance_name in second.domains() else
            'gone'))
    h.check(result, start, time.monotonic(),
            expected_error=lambda server_id, fault: server_id == booted.id)
    # What an operator does with a server in ERROR: delete it; nothing of
    # it may stay (the job checks after each scenario's removals).
    h.remove([booted])
