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

"""dpdk-testpmd as the DPDK vRouter's forwarding plane for one port.

A DPDK vRouter connects to the vhost-user socket QEMU serves for each of
its ports and switches the guest's packets into the port's virtual
network.  A PortForwarder plays that for one port: one testpmd process
with

- a ``net_vhost`` port in client mode on the socket; DPDK's vhost library
  retries until QEMU serves it, and again after QEMU went away (a hard
  reboot or a stop and start give the guest a new QEMU on the same
  socket);
- optionally a ``net_tap`` port, whose tap the caller attaches to the
  port's network (a Linux bridge, or a namespace holding the gateway);
- ``io`` forwarding between the two once started.

One process per port, not one testpmd with a pair of ports per guest
port: a port's forwarder starts when the agent gets the port and stops
when the agent loses it, without touching the others' (testpmd 22.11
attaches a device while it forwards, but the new port forwards only once
forwarding is stopped and started again, for every port), and a crash
takes one port down.  The cost is one forwarding thread per port, which
busy-polls: ``niceness`` lowers its priority, so that it takes the CPU
time nothing else wants (SCHED_IDLE starves it: pings took up to 1.3 s
on a busy two-core machine, against 7 ms at nice 19).

No hugepages (``--no-huge``: the guest's memory comes from QEMU's memory
file, not from DPDK), no PCI, no shared runtime files (``--no-shconf``),
no telemetry socket, and no ``mlockall`` (testpmd's default, which also
locks every connected guest's memory as the vhost library maps it: 630
MB locked for one 256 MB guest).  DPDK's runtime directory
(/var/run/dpdk for root) is a tmpfs of the process's own, in a mount
namespace of its own (``private_run``), so that testpmds side by side
never share it and none leaves it behind.  testpmd reads its commands on
stdin: when the process that started it dies, stdin closes and testpmd
quits, so no forwarder outlives its owner.

The argv can be wrapped (``wrapper``): a DPDK compute node runs testpmd
inside the node's namespaces and root.
"""

import shlex
import signal
import subprocess
import time

TESTPMD = 'dpdk-testpmd'

# Memory of the process's own (--no-huge -m, MiB) and its packet buffers:
# enough for 2 ports x 2 queues x (1024 rx + 1024 tx descriptors).
MEMORY_MB = 256
MBUFS = 16384

# How long a testpmd may take to quit before it is killed.
STOP_TIMEOUT = 60.0


class TestPmdError(Exception):
    pass


class PortForwarder(object):
    """One testpmd joining a vhost-user socket to a tap.

    :param socket: the vhost-user socket QEMU serves (testpmd connects)
    :param log_path: testpmd's output (a file the caller removes)
    :param tap: the name of the tap testpmd makes, or None for the
        vhost-user port alone (it then only completes the handshake)
    :param queues: queue pairs of each port
    :param lcores: DPDK's ``-l``: the main lcore reads commands, the
        next forwards
    :param niceness: run at this nice level (19: the polling takes only
        what nothing else wants), or as the caller runs
    :param private_run: the directory (an existing one) that gets a tmpfs
        of testpmd's own, holding DPDK's /var/run/dpdk: /run where
        nothing else of /run is needed, /run/dpdk where the vhost-user
        sockets are under /run
    :param wrapper: words run before the rest (namespaces, chroot)
    """

    def __init__(self, socket, log_path, tap=None, queues=1, lcores='0-1',
                 niceness=None, private_run='/run', wrapper=()):
        self.socket = socket
        self.log_path = log_path
        self.tap = tap
        self.queues = queues
        self.lcores = lcores
        self.niceness = niceness
        self.private_run = private_run
        self.wrapper = tuple(wrapper)
        self.process = None

    def argv(self):
        """The whole command line."""
        argv = list(self.wrapper)
        argv += ['unshare', '--mount', '--propagation', 'private', '--',
                 'sh', '-c', 'mount -t tmpfs -o mode=755 testpmd-run %s && '
                 'exec "$@"' % shlex.quote(self.private_run), 'testpmd-run']
        if self.niceness is not None:
            argv += ['nice', '-n', str(self.niceness)]
        # Unbuffered: answers are read from the log as they come.
        argv += ['stdbuf', '-o0', TESTPMD, '-l', self.lcores, '--no-huge',
                 '-m', str(MEMORY_MB), '--no-pci', '--no-shconf',
                 '--no-telemetry',
                 '--vdev', 'net_vhost0,iface=%s,client=1,queues=%d' % (
                     self.socket, self.queues)]
        if self.tap is not None:
            argv += ['--vdev', 'net_tap0,iface=%s' % self.tap]
        argv += ['--', '--total-num-mbufs=%d' % MBUFS, '--no-mlockall',
                 '--interactive', '--rxq=%d' % self.queues,
                 '--txq=%d' % self.queues]
        return argv

    def start(self):
        """Start testpmd; it connects to the socket once QEMU serves it.
        """
        with open(self.log_path, 'wb') as log:
            self.process = subprocess.Popen(
                self.argv(), stdin=subprocess.PIPE, stdout=log,
                stderr=subprocess.STDOUT)

    def command(self, line):
        """Send one command to testpmd's prompt."""
        self.process.stdin.write(line.encode() + b'\n')
        self.process.stdin.flush()

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def running(self):
        return self.process is not None and self.process.poll() is None

    def wait_for(self, text, timeout, start=0):
        """Wait until testpmd's output from offset start holds text.

        :raises: TestPmdError if testpmd exits or the time runs out
        """
        deadline = time.monotonic() + timeout
        while text not in self.log()[start:]:
            if not self.running():
                raise TestPmdError('testpmd exited (%s) before %r:\n%s' % (
                    self.process.returncode, text, self.log()[-2000:]))
            if time.monotonic() > deadline:
                raise TestPmdError('no %r from testpmd after %g s:\n%s' % (
                    text, timeout, self.log()[-2000:]))
            time.sleep(0.1)

    def forward(self, timeout):
        """Start io forwarding between the two ports."""
        mark = len(self.log())
        self.command('set fwd io')
        self.command('start')
        self.wait_for('io packet forwarding', timeout, start=mark)

    def port_stats(self, timeout):
        """{port number: {'rx': packets, 'tx': packets}}."""
        mark = len(self.log())
        self.command('show port stats all')
        deadline = time.monotonic() + timeout
        while True:
            stats = parse_port_stats(self.log()[mark:])
            ports = 1 if self.tap is None else 2
            if len(stats) >= ports and all(
                    'tx' in counters for counters in stats.values()):
                return stats
            if time.monotonic() > deadline or not self.running():
                raise TestPmdError('no port statistics from testpmd:\n%s'
                                   % self.log()[-2000:])
            time.sleep(0.1)

    def stop(self, timeout=STOP_TIMEOUT):
        """Quit testpmd (it closes its ports: the vhost-user connection
        and the tap go); kill it if it does not quit in time.
        """
        if not self.running():
            return
        try:
            self.process.communicate(b'quit\n', timeout=timeout)
        except (subprocess.TimeoutExpired, BrokenPipeError):
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


def parse_port_stats(text):
    """Port counters from the output of testpmd's ``show port stats``.

    :returns: {port number: {'rx': packets, 'tx': packets}}
    """
    stats = {}
    port = None
    for line in text.splitlines():
        fields = line.replace(':', ' ').split()
        if 'statistics' in fields and 'port' in fields:
            port = int(fields[fields.index('port') + 1])
            stats[port] = {}
        elif port is not None and fields[:1] in (['RX-packets'],
                                                 ['TX-packets']):
            stats[port][fields[0][:2].lower()] = int(fields[1])
    return stats
