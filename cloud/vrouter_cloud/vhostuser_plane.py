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

"""A DPDK node's forwarding plane: one testpmd per vhost-user port.

A DPDK vRouter connects to the vhost-user socket QEMU serves for each of
its ports (the agent got the port with ``vhostuser-mode`` 1) and switches
the guest's packets into the port's network.  Here one
``vrouter_testing.testpmd.PortForwarder`` per port does, in the node's
root (QEMU's): it connects to ``uvh_vif_<system-name>`` in
``VHOSTUSER_SOCKET_DIR`` as the socket's client and forwards to a tap of
its own (``device(port id)``), which the node's datapath puts on the
port's segment as it does a kernel port's tap.

Each forwarder goes through these states, one look per ``sync`` (the
datapath's round, every 0.1 s): started; told to forward once its tap
exists (testpmd has set its ports up); forwarding once it says so.  One
that exits, or does not forward within ``START_TIMEOUT``, is stopped and
started again after a delay that doubles from ``RETRY_FIRST`` up to
``RETRY_MAX`` (a missing testpmd or a broken root never turns into a
busy loop); the end of its output goes to the agent's log (the next
start rewrites ``<port id>.log``).

A forwarder starts when the agent gets the port, that is before Nova
defines the domain (os-vif plugs first): QEMU, the socket's server, does
not run the guest until its client has connected, and the vhost library
retries until QEMU serves the socket, and again after a hard reboot or a
stop and start (a new QEMU on the same socket).  It stops when the agent
no longer has the port.  Forwarders are the agent's children: testpmd
quits when its standard input closes, so none outlives the agent (a real
DPDK vRouter's forwarding outlives its agent; the next agent here starts
them again from its port files).

A port whose ``vhostuser-mode`` is 0 (the vRouter would serve the
socket) is not forwarded: the controller binds QEMU as the server on a
DPDK host, and a plug of such a port waits for a socket nobody makes,
and fails, as it would on a vRouter that does not serve it.
"""

import logging
import os
import threading
import time

from vrouter_testing import testpmd

from vrouter_cloud import layout as cloud_layout

LOG = logging.getLogger(__name__)

# The agent's vhostuser-mode when QEMU serves the socket and the vRouter
# connects (doc/source/admin/agent-port-api.rst).
QEMU_SERVES = 1
# Lines of a failed forwarder's output kept in the agent's log.
_TAIL_LINES = 10
# A forwarder's tap: this and the port id's first 8 characters.
TAP_PREFIX = cloud_layout.PREFIX + 'd-'


class _Forwarder(object):
    """One port's testpmd and where it is in its start."""

    def __init__(self, forwarder, started):
        self.forwarder = forwarder
        self.started = started
        self.mark = None  # log offset when told to forward
        self.forwarding = False


class VhostUserPlane(object):
    """Forwarders for the agent's vhost-user ports (see module doc).

    :param wrapper: the words that run testpmd where QEMU is (the chroot
        into the node's root)
    :param log_dir: each forwarder's output, ``<port id>.log``
    :param netdev_exists: name -> whether that device is in the node's
        network namespace (the forwarder's tap)
    """

    START_TIMEOUT = 60.0
    STOP_TIMEOUT = 10.0
    RETRY_FIRST = 1.0
    RETRY_MAX = 60.0

    def __init__(self, wrapper, log_dir, netdev_exists):
        self.wrapper = list(wrapper)
        self.log_dir = log_dir
        self.netdev_exists = netdev_exists
        self._forwarders = {}  # port id -> _Forwarder
        self._failures = {}  # port id -> (count, monotonic time of retry)
        self._refused = set()  # ports said once not to be forwarded
        self._lock = threading.Lock()

    @staticmethod
    def device(port_id):
        """The tap of a port's forwarder, in the node's namespace."""
        return TAP_PREFIX + port_id[:8]

    def sync(self, ports):
        """Forwarders for exactly these ports, one step further each.

        :param ports: {port id: (system-name, vhostuser-mode)} of every
            vhost-user port the agent has
        """
        now = time.monotonic()
        with self._lock:
            for port_id in sorted(set(self._forwarders) - set(ports)):
                self._stop(port_id)
                LOG.info('port %s: forwarder stopped', port_id)
            for port_id in set(self._failures) - set(ports):
                del self._failures[port_id]
            self._refused &= set(ports)
            for port_id, (device, mode) in sorted(ports.items()):
                if mode != QEMU_SERVES:
                    if port_id not in self._refused:
                        LOG.error('port %s: vhostuser-mode %r, not %d '
                                  '(QEMU serves the socket): not forwarded',
                                  port_id, mode, QEMU_SERVES)
                        self._refused.add(port_id)
                    continue
                self._step(port_id, device, now)

    def _step(self, port_id, device, now):
        entry = self._forwarders.get(port_id)
        if entry is None:
            if now < self._failures.get(port_id, (0, 0.0))[1]:
                return
            try:
                self._forwarders[port_id] = self._start(port_id, device, now)
            except OSError as exc:  # no chroot, no log directory
                self._retry_later(port_id, 'cannot start testpmd: %s' % exc,
                                  now)
            return
        forwarder = entry.forwarder
        if not forwarder.running():
            self._failed(port_id, 'testpmd exited (%s)' %
                         forwarder.process.returncode, now)
        elif entry.forwarding:
            return
        elif entry.mark is not None:
            if 'io packet forwarding' in forwarder.log()[entry.mark:]:
                entry.forwarding = True
                LOG.info('port %s: forwarding between %s and %s', port_id,
                         forwarder.socket, forwarder.tap)
            elif now > entry.started + self.START_TIMEOUT:
                self._failed(port_id, 'not forwarding after %d s' %
                             self.START_TIMEOUT, now)
        elif self.netdev_exists(forwarder.tap):
            # testpmd has set its ports up: its prompt reads commands.
            entry.mark = len(forwarder.log())
            forwarder.command('set fwd io')
            forwarder.command('start')
        elif now > entry.started + self.START_TIMEOUT:
            self._failed(port_id, 'no tap %s after %d s' % (
                forwarder.tap, self.START_TIMEOUT), now)

    def _start(self, port_id, device, now):
        os.makedirs(self.log_dir, exist_ok=True)
        forwarder = testpmd.PortForwarder(
            cloud_layout.vhostuser_socket(device),
            os.path.join(self.log_dir, port_id + '.log'),
            tap=self.device(port_id), niceness=19,
            private_run='/run/dpdk', wrapper=self.wrapper)
        forwarder.start()
        LOG.info('port %s: forwarder for %s, tap %s', port_id,
                 forwarder.socket, forwarder.tap)
        return _Forwarder(forwarder, now)

    def _failed(self, port_id, reason, now):
        forwarder = self._forwarders[port_id].forwarder
        self._stop(port_id)
        # The next start rewrites the forwarder's log: keep its end here.
        self._retry_later(port_id, reason, now,
                          forwarder.log().splitlines()[-_TAIL_LINES:])

    def _retry_later(self, port_id, reason, now, tail=()):
        count = self._failures.get(port_id, (0, 0.0))[0] + 1
        delay = min(self.RETRY_FIRST * 2 ** (count - 1), self.RETRY_MAX)
        self._failures[port_id] = (count, now + delay)
        LOG.error('port %s: forwarder failed (%d times): %s; again in '
                  '%g s; its last words:\n%s', port_id, count, reason, delay,
                  '\n'.join(tail))

    def _stop(self, port_id):
        self._forwarders.pop(port_id).forwarder.stop(self.STOP_TIMEOUT)

    def forwarding(self):
        """The ports whose forwarder forwards."""
        with self._lock:
            return sorted(port_id for port_id, entry in
                          self._forwarders.items() if entry.forwarding)

    def stop(self):
        """Stop every forwarder (their taps go with them)."""
        with self._lock:
            for port_id in sorted(self._forwarders):
                self._stop(port_id)
