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

"""Stand-ins for the vRouter's datapath, as far as a guest can tell.

- KernelDatapath: the kernel vRouter attaches a port's tap once the agent
  has the port and the tap exists; here the tap is moved into a network
  namespace that holds the gateway address, so the guest reaches its
  gateway only if the port was registered, under the right device name.
- TestPmd: the DPDK vRouter connects to the vhost-user socket QEMU serves;
  here DPDK's testpmd does, with the net_vhost driver as a client
  (testpmd.PortForwarder).
"""

import threading

import fixtures
from vrouter_testing import iproute
from vrouter_testing import testpmd

from vrouter_functional import host


class KernelDatapath(fixtures.Fixture):
    """Attach one port's device to its network once the agent has it
    and the guest runs.

    Not before the domain has started: libvirt configures the tap by name
    in this namespace (MAC, MTU, link up) until then, and a tap moved
    away meanwhile fails the start ("Cannot set interface MTU on ...: No
    such device"); the real vRouter attaches the tap where it is.

    :param agent: the AgentStandIn whose ports are watched (it may be
        stopped and started meanwhile)
    :param port_id: the port
    :param gateway: the gateway address, with its prefix length
    :ivar netns: the NetNamespace standing for the port's network
    :ivar device: the device attached, once attached
    """

    def __init__(self, agent, port_id, gateway):
        super().__init__()
        self.agent = agent
        self.port_id = port_id
        self.gateway = gateway
        self.device = None
        self.error = None

    def _setUp(self):
        self.netns = self.useFixture(host.NetNamespace())
        self.netns.ip('link', 'set', 'lo', 'up')
        self._attached = threading.Event()
        self._guest_started = threading.Event()
        self._stop = threading.Event()
        thread = threading.Thread(target=self._watch, daemon=True,
                                  name='kernel-datapath-' + self.port_id)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(self._stop.set)

    def _watch(self):
        while not self._stop.wait(0.1):
            registered = self.agent.ports().get(self.port_id)
            if registered is None:
                continue
            device = registered['system-name']
            if not (self._guest_started.is_set() and
                    iproute.netdev_exists(device)):
                continue
            try:
                iproute.ip('link', 'set', 'dev', device, 'netns',
                           self.netns.name)
                self.netns.ip('address', 'add', self.gateway, 'dev', device)
                self.netns.ip('link', 'set', 'dev', device, 'up')
            except iproute.CommandFailed as exc:
                self.error = exc
            else:
                self.device = device
            self._attached.set()
            return

    def guest_started(self):
        """The domain has started: the device may be moved now."""
        self._guest_started.set()

    def wait_attached(self):
        """Wait until the device is attached; its name.

        :raises: iproute.CommandFailed if attaching it failed
        """
        host.wait_until(self._attached.is_set,
                        'device attached for port %s' % self.port_id)
        if self.error is not None:
            raise self.error
        return self.device

    def neighbour(self, address):
        """The MAC address the namespace has learnt for address, or None.
        """
        fields = self.netns.ip('neigh', 'show', address,
                               'dev', self.device).split()
        if 'lladdr' not in fields:
            return None
        return fields[fields.index('lladdr') + 1]


class TestPmd(fixtures.Fixture):
    """DPDK's testpmd, the vhost-user client of one socket
    (testpmd.PortForwarder).

    Interactive, and by default no forwarding core spins: it only
    connects to the socket and sets the device up, which is what a DPDK
    vRouter does with a port whose QEMU is the vhost-user server.

    With a tap name, testpmd also has a ``net_tap`` port of that name and
    forwards between the two ports (``io`` mode): the DPDK vRouter's
    switching, as far as one port's guest can tell.  The tap is moved
    into a network namespace holding the gateway (see forward()).

    :param socket: the vhost-user socket QEMU serves
    :param tap: the name of the tap to forward to, or None
    :param queues: queue pairs of each port
    """

    def __init__(self, socket, tap=None, queues=1):
        super().__init__()
        self.socket = socket
        self.tap = tap
        self.queues = queues

    def _setUp(self):
        log_path = self.useFixture(fixtures.TempDir()).join('testpmd.log')
        self.forwarder = testpmd.PortForwarder(
            self.socket, log_path, tap=self.tap, queues=self.queues)
        self.forwarder.start()
        self.addCleanup(self.forwarder.stop)

    def command(self, line):
        """Send one command to testpmd's prompt."""
        self.forwarder.command(line)

    def forward(self, netns, gateway):
        """Start forwarding between the vhost-user port and the tap, and
        put the tap, with the gateway address, into netns.

        testpmd sets its ports up when it starts them; the tap moves only
        after that, as the net_tap driver configures it by name in this
        namespace.
        """
        host.wait_until(lambda: iproute.netdev_exists(self.tap),
                        'testpmd tap %s' % self.tap,
                        detail=self.log)
        self.forwarder.forward(host.WAIT_TIMEOUT)
        iproute.ip('link', 'set', 'dev', self.tap, 'netns', netns.name)
        netns.ip('address', 'add', gateway, 'dev', self.tap)
        netns.ip('link', 'set', 'dev', self.tap, 'up')

    def port_stats(self):
        """{port number: {'rx': packets, 'tx': packets}} from testpmd."""
        return self.forwarder.port_stats(host.WAIT_TIMEOUT)

    def running(self):
        return self.forwarder.running()

    def log(self):
        return self.forwarder.log()
