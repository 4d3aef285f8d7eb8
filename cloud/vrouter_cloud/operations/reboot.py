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
registered and answering pings, within BACK_WITHIN seconds of
nova-compute's start.
"""

import time

BACK_WITHIN = 60.0
# How long the host stays off.
DOWN_FOR = 5.0
TIMEOUT = 300


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
    registered, missing = h.registered(node, [b.port_id for b in on_node],
                                       TIMEOUT, since=compute_at)
    h.not_registered(result, node, missing)
    unreachable = h.unreachable(on_node, compute_at, TIMEOUT)
    back = h.back_after(on_node, off_at)
    states = h.servers.wait([b.id for b in on_node], TIMEOUT)
    late = []
    lines = []
    for server in on_node:
        back_in = (back[server.name] - compute_at
                   if back[server.name] is not None else None)
        lines.append('%s %s, registered %s, answering %s' % (
            server.name, states[server.id].status,
            '%.1f s' % registered[server.port_id]
            if server.port_id in registered else 'never',
            '%.1f s' % back_in if back_in is not None else 'never'))
        if (states[server.id].status != 'ACTIVE' or back_in is None or
                back_in > BACK_WITHIN or server.name in unreachable):
            late.append(server.name)
    result.notes.append(
        '%s powered off for %.0f s and booted (libvirtd, agent, '
        'nova-compute started in %.1f s); after nova-compute\'s start: %s'
        % (node.name, DOWN_FOR, compute_at - off_at - DOWN_FOR,
           '; '.join(lines)))
    if late:
        result.failures.append('not ACTIVE and answering within %d s of '
                               'nova-compute\'s start: %s' % (
                                   BACK_WITHIN, ', '.join(late)))
    h.check(result, start, time.monotonic())
