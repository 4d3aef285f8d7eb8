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
  here DPDK's testpmd does, with the net_vhost driver as a client.
"""

import os
import shutil
import signal
import subprocess
import threading

import fixtures

from vrouter_functional import host


class KernelDatapath(fixtures.Fixture):
    """Attach one port's device to its network once the agent has it.

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
            if not host.netdev_exists(device):
                continue
            try:
                host.ip('link', 'set', 'dev', device, 'netns',
                        self.netns.name)
                self.netns.ip('address', 'add', self.gateway, 'dev', device)
                self.netns.ip('link', 'set', 'dev', device, 'up')
            except host.CommandFailed as exc:
                self.error = exc
            else:
                self.device = device
            self._attached.set()
            return

    def wait_attached(self):
        """Wait until the device is attached; its name.

        :raises: host.CommandFailed if attaching it failed
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
    """DPDK's testpmd, the vhost-user client of one socket.

    No hugepages (``--no-huge``), no PCI, no shared runtime files
    (``--no-shconf``), interactive so that no forwarding core spins: it
    only connects to the socket and sets the device up, which is what a
    DPDK vRouter does with a port whose QEMU is the vhost-user server.

    :param socket: the vhost-user socket QEMU serves
    """

    RUNTIME_DIR = '/var/run/dpdk'

    def __init__(self, socket):
        super().__init__()
        self.socket = socket

    def _setUp(self):
        self.prefix = host.unique_name('vrouter-functional-', 32)
        self._runtime_dir_existed = os.path.isdir(self.RUNTIME_DIR)
        self.log_path = self.useFixture(fixtures.TempDir()).join(
            'testpmd.log')
        argv = ['dpdk-testpmd', '-l', '0-1', '--no-huge', '-m', '512',
                '--no-pci', '--no-shconf', '--no-telemetry',
                '--file-prefix', self.prefix,
                '--vdev', 'net_vhost0,iface=%s,client=1' % self.socket,
                '--', '--total-num-mbufs=16384', '--interactive']
        with open(self.log_path, 'wb') as log:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=log,
                stderr=subprocess.STDOUT)
        self.addCleanup(self._remove_runtime_files)
        self.addCleanup(self._stop)

    def _stop(self):
        if self.process.poll() is None:
            try:
                self.process.communicate(b'quit\n', timeout=60)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGKILL)
                self.process.wait()

    def _remove_runtime_files(self):
        shutil.rmtree(os.path.join(self.RUNTIME_DIR, self.prefix),
                      ignore_errors=True)
        if not self._runtime_dir_existed:
            try:
                os.rmdir(self.RUNTIME_DIR)
            except OSError:
                pass  # another DPDK process uses it now

    def running(self):
        return self.process.poll() is None

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()
