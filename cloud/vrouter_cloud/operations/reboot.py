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

"""Scenario 3: a host reboot of one node.

Everything of the node goes (``Node.power_off``: its domains destroyed,
its taps, bridges and VXLAN devices gone with its network namespace,
its services killed) and it boots again (``Node.start``: libvirtd, the
agent, nova-compute).  The agent replays the port files at start but
skips them all, their taps being gone; nova-compute's ``init_host`` then
plugs each port again (the agent registers it) and, with
``resume_guests_state_on_host_boot = True`` (the cloud's nova.conf),
starts each server that ran (a hard reboot: libvirt creates its tap, the
datapath puts it on its segment).  Each server must be back, ACTIVE,
its port registered and its domain running, within BACK_WITHIN seconds
of nova-compute's start: that much is Nova's and the plugin's work.  It
must then answer pings within TIMEOUT: that is its guest's own boot,
which under TCG takes a minute or more on a busy machine, so the note
gives it apart (answering time minus the domain's start) to compare with
the guests' first boot in the same run.
"""

import time

BACK_WITHIN = 60.0
# How long the host stays off.
DOWN_FOR = 5.0
TIMEOUT = 300


def _seconds(value):
    return '%.1f s' % value if value is not None else 'never'


def host_reboot(h, result):
    node = h.node(0)
    start = time.monotonic()
    on_node = [b for b in h.base if h.servers.get(b.id).compute_host ==
               node.name]
    node.power_off()
    off_at = time.monotonic()
    time.sleep(DOWN_FOR)
    h.mark_agent_logs()
    node.start()
    compute_at = node.compute_started_at
    registered, running = h.wait_back(node, on_node, TIMEOUT,
                                      since=compute_at)
    h.not_registered(result, node, [b.port_id for b in on_node
                                    if b.name not in registered])
    unreachable = h.unreachable(on_node, compute_at, TIMEOUT)
    back = h.back_after(on_node, off_at)
    states = h.servers.wait([b.id for b in on_node], TIMEOUT)
    late = []
    lines = []
    for server in on_node:
        answering = (back[server.name] - compute_at
                     if back[server.name] is not None else None)
        up = running.get(server.name)
        lines.append('%s %s, registered %s, running %s, answering %s%s' % (
            server.name, states[server.id].status,
            _seconds(registered.get(server.name)), _seconds(up),
            _seconds(answering),
            ' (its guest\'s boot %.1f s)' % (answering - up)
            if answering is not None and up is not None else ''))
        if (states[server.id].status != 'ACTIVE' or
                registered.get(server.name, TIMEOUT) > BACK_WITHIN or
                running.get(server.name, TIMEOUT) > BACK_WITHIN):
            late.append(server.name)
    result.notes.append(
        '%s powered off for %.0f s and booted (libvirtd, agent, '
        'nova-compute started in %.1f s); after nova-compute\'s start: %s'
        % (node.name, DOWN_FOR, compute_at - off_at - DOWN_FOR,
           '; '.join(lines)))
    if late:
        result.failures.append('not ACTIVE, registered and running within '
                               '%d s of nova-compute\'s start: %s' % (
                                   BACK_WITHIN, ', '.join(late)))
    silent = [b.name for b in on_node
              if b.name in unreachable or back[b.name] is None]
    if silent:
        result.failures.append('not answering pings %d s after '
                               'nova-compute\'s start: %s' % (
                                   TIMEOUT, ', '.join(silent)))
    h.check(result, start, time.monotonic())
