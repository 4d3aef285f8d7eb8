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

"""The running cloud as the scenarios see it: nodes, servers, pings, checks.

One :class:`Harness` for the whole job: the cloud's nodes (``Node``: they
act on the node's services), its servers (``servers``; the servers a
scenario boots are removed after it, :meth:`Harness.remove_booted`), the
pinger (a service of the cloud's run directory, so that ``cloud down``
stops it too) in the namespace of the router of the servers' network,
where their traffic leaves the overlay (a fixed IP is reached from there
only), and the checks each scenario ends with (:meth:`Harness.check`).
"""

import collections
import os
import time

from vrouter_cloud import cloud
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import netns
from vrouter_cloud import neutron_view
from vrouter_cloud import node as cloud_node
from vrouter_cloud.operations import checks
from vrouter_cloud.operations import probes
from vrouter_cloud.operations import servers as cloud_servers
from vrouter_cloud.operations import waits
from vrouter_cloud import procs
from vrouter_cloud import router_namespace
from vrouter_tempest_plugin import agreement

PINGER = 'operations-pinger'
# Every guest is pinged this often.
PING_INTERVAL = 0.01
# The pinger writes its counters once a second: a window's end is read
# after the next ones.
_COUNT_DELAY = 1.5
# How long the job waits for the gateway to serve the servers' network.
NAMESPACE_TIMEOUT = 60


class SetUpFailed(Exception):
    """The cloud cannot run the job.

    Too few nodes, no router namespace, servers that do not come up.
    """


class Harness(object):
    """The cloud of the run directory, for the scenarios.

    :param layout: the cloud's Layout
    :param conn: an admin openstack connection to it
    :raises: SetUpFailed when the cloud has fewer than two nodes or no
        namespace for its shared network
    """

    def __init__(self, layout, conn):
        self.layout = layout
        self.conn = conn
        self.servers = cloud_servers.Servers(conn)
        self.nodes = collections.OrderedDict(
            (n.name, n) for n in cloud.nodes(layout))
        if len(self.nodes) < 2:
            raise SetUpFailed('the cloud has %d node(s); the job needs two '
                              '(tools/cloud up --nodes 2)' % len(self.nodes))
        # The servers' network is served by its router's namespace (the
        # gateway's choice, as for the live migration benchmark).
        self.namespace = cloud_layout.router_netns(router_namespace.domain_of(
            self.servers.network.id,
            neutron_view.Neutron(conn).router_interfaces()))
        # The gateway makes it on its next round after the network's
        # router appears (every 2 s, longer on a busy machine): the job
        # can start before that round, right after the cloud is up.
        try:
            waits.wait('the namespace %s' % self.namespace,
                       lambda: netns.exists(self.namespace),
                       NAMESPACE_TIMEOUT, interval=0.5)
        except waits.TimedOut:
            raise SetUpFailed('no namespace %s for the network %s after %d '
                              's: is the gateway running?' % (
                                  self.namespace, self.servers.network.id,
                                  NAMESPACE_TIMEOUT))
        self.processes = procs.Processes(layout)
        # Beside the services' logs: kept with them when the run failed
        # (cloud down --keep-logs), removed with them otherwise.
        self.work = layout.path('log', 'operations')
        os.makedirs(self.work, exist_ok=True)
        self.targets_file = os.path.join(self.work, 'targets')
        self.pings_file = os.path.join(self.work, 'pings.jsonl')
        self.targets = collections.OrderedDict()  # name -> address
        self.pinged = set()  # every guest ever pinged, by name
        self.agent_logs = dict(
            (name, checks.LogCursor(node.layout.log(cloud_node.AGENT)))
            for name, node in self.nodes.items())
        self.base = []  # the servers pinged for the whole run
        self.booted = []  # the servers the running scenario booted
        self.domain_prefix = cloud_layout.DOMAIN_TEMPLATE.split('%')[0]

    @staticmethod
    def say(message):
        print('cloud-operations: %s' % message, flush=True)

    def node(self, index):
        return list(self.nodes.values())[index]

    # Servers.

    def boot(self, name, host):
        """Boot a server of the running scenario (removed after it)."""
        booted = self.servers.boot(name, host)
        self.booted.append(booted)
        return booted

    def remove(self, booted):
        """Stop pinging servers, delete them and their ports."""
        self.unping(booted)
        self.servers.delete(booted)
        for server in booted:
            if server in self.booted:
                self.booted.remove(server)

    def remove_booted(self):
        """Remove what the running scenario booted and did not remove."""
        self.remove(list(self.booted))

    # The pinger.

    def start_pinger(self):
        for path in (self.targets_file, self.pings_file):
            if os.path.exists(path):
                os.unlink(path)
        self._write_targets()
        self.processes.start(PINGER, [
            'ip', 'netns', 'exec', self.namespace,
            self.layout.bin('python'), '-m', 'vrouter_cloud.operations.pinger',
            '--targets', self.targets_file, '--out', self.pings_file,
            '--interval', str(PING_INTERVAL)])
        procs.wait_line(self.processes, PINGER, 'pinging')

    def stop_pinger(self):
        self.processes.stop(PINGER)

    def _write_targets(self):
        temp = self.targets_file + '.new'
        with open(temp, 'w') as f:
            f.writelines('%s %s\n' % target for target in
                         self.targets.items())
        os.rename(temp, self.targets_file)

    def ping(self, booted):
        """Ping these servers (Booted) from now on."""
        for server in booted:
            self.targets[server.name] = server.address
            self.pinged.add(server.name)
        self._write_targets()

    def unping(self, booted):
        for server in booted:
            self.targets.pop(server.name, None)
        self._write_targets()

    def records(self):
        try:
            with open(self.pings_file) as f:
                return probes.parse(f.readlines())
        except FileNotFoundError:
            return []

    def _last_count(self, name):
        for record in reversed(self.records()):
            if record.get('guest') == name and record['kind'] == probes.COUNT:
                return record
        return None

    def unreachable(self, booted, since, timeout):
        """Wait until each server answered a probe sent after since; the
        names of those that did not within timeout seconds.
        """
        deadline = time.monotonic() + timeout
        waiting = [server.name for server in booted]
        while True:
            for name in list(waiting):
                count = self._last_count(name)
                answered = count['last_answer'] if count else None
                if answered is not None and answered >= since:
                    waiting.remove(name)
            if not waiting or time.monotonic() > deadline:
                return waiting
            time.sleep(1.0)

    def first_answer(self, booted):
        """When a server first answered (the send time), or None."""
        count = self._last_count(booted.name)
        return count['first_answer'] if count else None

    def back_after(self, booted, since):
        """{name: when it answered again after an outage going on at
        since (None: not yet)}.
        """
        records = self.records()
        return dict((server.name, probes.back_after(records, server.name,
                                                    since))
                    for server in booted)

    # The nodes.

    def reader(self, node):
        return checks.node_reader(node)

    def ports_on(self, node):
        """The port ids of the servers Nova says node hosts."""
        servers, ports = self.servers.state()
        hosted = set(s['id'] for s in servers
                     if s['OS-EXT-SRV-ATTR:host'] == node.name)
        return sorted(p['id'] for p in ports if p['device_id'] in hosted)

    def mark_agent_logs(self):
        for cursor in self.agent_logs.values():
            cursor.mark()

    def agent_lines(self, node):
        """The node agent's log lines since the last mark."""
        return self.agent_logs[node.name].lines()

    def deletes(self, node):
        """The ports the node's agent got a DELETE for since the mark."""
        return [port for method, port, _ in checks.agent_requests(
            self.agent_lines(node)) if method == 'DELETE']

    def registered(self, node, port_ids, timeout, since=None):
        """Wait until the node's agent registered each port since the mark
        (an add, or its file replayed).

        :param since: time.monotonic() to count from (default: now)
        :returns: ({port: seconds after since it was seen registered,
            within 0.2 s}, [ports not registered within timeout seconds])
        """
        since = time.monotonic() if since is None else since
        deadline = time.monotonic() + timeout
        times = {}
        while True:
            seen = set(checks.registered_ports(self.agent_lines(node)))
            for port_id in port_ids:
                if port_id in seen and port_id not in times:
                    times[port_id] = time.monotonic() - since
            missing = [p for p in port_ids if p not in times]
            if not missing or time.monotonic() > deadline:
                return times, missing
            time.sleep(0.2)

    def wait_back(self, node, booted, timeout, since):
        """Wait until each server's port is registered again at the node's
        agent and its domain runs there again (a host's reboot).

        Both are looked at in one loop, so that neither time waits for
        the other.

        :param since: time.monotonic() to count from
        :returns: ({name: seconds after since its port was seen
            registered}, {name: seconds after since its domain was seen
            running}), within 0.2 s; who was not seen within timeout
            seconds is absent
        """
        domains = dict((b.name, self.servers.get(b.id).instance_name)
                       for b in booted)
        deadline = time.monotonic() + timeout
        registered, running = {}, {}
        while True:
            seen = set(checks.registered_ports(self.agent_lines(node)))
            up = set(node.domains(running_only=True))
            now = time.monotonic()
            for b in booted:
                if b.port_id in seen and b.name not in registered:
                    registered[b.name] = now - since
                if domains[b.name] in up and b.name not in running:
                    running[b.name] = now - since
            done = len(registered) == len(running) == len(booted)
            if done or now > deadline:
                return registered, running
            time.sleep(0.2)

    def not_registered(self, result, node, missing):
        """Add to result the ports the node's agent did not register, with
        what its replay said of their files.
        """
        if not missing:
            return
        skipped = checks.replay_skipped(self.agent_lines(node))
        result.failures.append('%s: not registered again: %s' % (
            node.name, ', '.join(
                '%s (replay skipped it: %s)' % (p, skipped[p])
                if p in skipped else p for p in missing)))

    def wait_port_file(self, node, port_ids, timeout):
        """Wait until one of these ports has its file on the node; it."""
        reader = self.reader(node)
        return waits.wait('%s: a port file of %s' % (node.name, port_ids),
                          lambda: next((p for p in port_ids
                                        if reader.port_file(p) is not None),
                                       None), timeout, interval=0.05)

    def wait_domain(self, node, booted, timeout):
        """Wait until libvirt on the node has the server's domain.

        The server's instance name is read again each time: Nova gives it
        once the server is in its cell.
        """
        def defined():
            name = self.servers.get(booted.id).instance_name
            return bool(name) and name in node.domains()

        waits.wait('%s: the domain of %s' % (node.name, booted.name),
                   defined, timeout, interval=0.05)

    def wait_compute_up(self, node, timeout=180):
        """Wait until node's nova-compute reported its state after its
        last start (the service's update time moves on).
        """
        def updated():
            for service in self.conn.compute.services():
                if (service.binary == 'nova-compute' and
                        service.host == node.name):
                    return service.updated_at
            return None

        before = updated()
        waits.wait('%s: nova-compute reports again' % node.name,
                   lambda: updated() != before, timeout, interval=1.0)

    # The checks.

    def check(self, result, start, end, expected_error=None, pings=True):
        """Check the nodes, the pings between start and end, the audit and
        the servers in ERROR; add what is found to result.

        :param expected_error: (server id, fault) -> whether this ERROR is
            what the scenario provokes, with a fault that names it
        :raises: procs.ServiceFailed when the pinger died
        """
        if pings:
            self.processes.check_alive(PINGER)
            time.sleep(max(0.0, end + _COUNT_DELAY - time.monotonic()))
            self._check_pings(result, start, end)
        servers, ports = self.servers.state()
        readers = dict((name, self.reader(node))
                       for name, node in self.nodes.items())
        logged = set()
        for node in self.nodes.values():
            try:
                with open(node.layout.log(cloud_node.AGENT),
                          errors='replace') as f:
                    logged |= set(checks.registered_ports(f))
            except FileNotFoundError:
                pass
        differences, _ = agreement.compare(servers, ports, readers, logged,
                                           domain_prefix=self.domain_prefix)
        for difference in differences:
            result.differences.add(tuple(difference))
            self.say('%s: %s' % (result.number, difference))
        for name, node in self.nodes.items():
            drift, exposed, _ = checks.audit(
                node, os.path.dirname(self.layout.bin('python')))
            for finding in drift:
                result.drift.add((name, finding['kind'],
                                  finding['port_id'] or finding['detail']))
                self.say('%s: audit on %s: %s %s %s' % (
                    result.number, name, finding['kind'],
                    finding['port_id'] or '-', finding['detail']))
            if exposed:
                note = ('audit, apart from drift: agent-exposed on %s (%s)'
                        % (name, exposed[0]['detail']))
                if note not in result.notes:
                    result.notes.append(note)
        for server in servers:
            if server['status'] != 'ERROR' or server['id'] in result.errors:
                continue
            fault = self.servers.fault(server['id'])
            expected = bool(expected_error and
                            expected_error(server['id'], fault))
            result.errors[server['id']] = (expected, fault)
            self.say('%s: server %s (%s) in ERROR, %s: %s' % (
                result.number, server['name'], server['id'],
                'expected' if expected else 'NOT expected', fault or
                'no fault'))

    def _check_pings(self, result, start, end):
        records = self.records()
        for name in sorted(self.pinged):
            summary = probes.window(records, name, start, end,
                                    PING_INTERVAL)
            if summary is None:
                continue  # not pinged in the window
            if summary.unsent:
                result.failures.append(
                    'the pinger could not send %d probes to %s (%s): its '
                    'gaps are not measured' % (
                        summary.unsent, name,
                        os.strerror(summary.unsent_errno)))
            if summary.first_answer is None:
                result.failures.append('%s never answered a ping' % name)
                continue
            result.add_gap(name, summary.longest)
            result.packets_lost += summary.lost
            if summary.lost:
                self.say('%s: %s lost %d probes, longest gap %d ms' % (
                    result.number, name, summary.lost,
                    summary.longest * 1000))
