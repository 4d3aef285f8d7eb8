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

"""A node's kernel datapath for its agent's ports, as a vRouter gives.

A kernel vRouter forwards a port's traffic once the agent has the port and
its tap exists, and stops when the port is deleted.  Here, in the node's
own network namespace (the agent runs there):

- a port's tap joins its network's segment (``segment``: a bridge and a
  VXLAN device to the other nodes and the gateway) once the agent has the
  port under that device name and the tap exists, and leaves it when the
  agent no longer has it (the tap of a deleted port carries nothing);
- a network's segment is made as soon as the agent has a port of it (for
  a live migration's destination, when Nova plugs the port before the
  guest moves), so that the tap joins it the moment it appears: QEMU
  announces the moved guest (RARP, or the guest's gratuitous ARP) as it
  resumes there, and an announcement sent before the tap is on the
  segment is lost, leaving the other nodes to find the guest only when
  it next speaks (seen: 18 s without answers); a segment goes after the
  node's last port of its network;
- like the vRouter's kernel module, the segments and the taps on them
  outlive the agent: an agent that stops or is killed leaves them as
  they are (guests keep their network), and the next one takes them over
  (cloud down removes them with the node's namespace).

On a DPDK node (``dpdk_node``) a port the agent has with a
``vhostuser-mode`` is a vhost-user port: QEMU serves its socket, and the
datapath starts a ``dpdk-testpmd`` for it (``VhostUserPlane``) that
connects to the socket and forwards to a tap of its own, which joins the
port's segment as a kernel port's tap does; the forwarder stops when the
agent no longer has the port.  Forwarders are the agent's children and
end with it (a real DPDK vRouter's forwarding outlives its agent).

Routing between networks, DHCP, floating IPs and the metadata service are
the gateway's (``gateway``).  Networks (VXLAN id, MTU) come from Neutron,
as the vRouter's come from the controller.  Test tree only: the plugin
knows nothing of this.
"""

import logging
import os
import threading
import time

from vrouter_testing import iproute

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import segment

LOG = logging.getLogger(__name__)

# Seconds before Neutron is asked again about a network it did not know.
_UNKNOWN_RETRY = 5.0


class KernelDatapath(object):
    """Connects the agent's ports to their networks (see module doc).

    :param agent: the AgentStandIn whose ports are followed
    :param neutron: a neutron_view.Neutron
    :param local: this node's underlay address
    :param peers: the underlay addresses of the gateway and other nodes
    :param interval: seconds between two looks at the agent and the taps
    """

    def __init__(self, agent, neutron, local, peers, interval=0.1,
                 vhostuser=None):
        self.agent = agent
        self.vhostuser = vhostuser
        self.neutron = neutron
        self.local = local
        self.peers = list(peers)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None
        # Segments here, by the network id's first 8 characters (what the
        # devices' names keep): an agent that starts takes over those an
        # earlier one made.
        self._segments = set(
            name[len(segment.BRIDGE_PREFIX):] for name in iproute.netdevs()
            if name.startswith(segment.BRIDGE_PREFIX))
        self._unknown = {}  # network id -> when to ask Neutron again

    def start(self):
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name='kernel-datapath')
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.vhostuser is not None:
            self.vhostuser.stop()

    def _loop(self):
        while not self._stop.wait(self.interval):
            try:
                self.sync()
            except Exception:  # noqa: a failed round is retried
                LOG.exception('datapath round failed')

    def _ensure_segment(self, network_id):
        """The network's bridge here, made if needed; None if unknown."""
        if network_id[:8] in self._segments:
            return segment.bridge_name(network_id)
        if time.monotonic() < self._unknown.get(network_id, 0):
            return None
        network = self.neutron.network(network_id)
        if network is None:
            LOG.warning('network %s: not a VXLAN network of Neutron',
                        network_id)
            self._unknown[network_id] = time.monotonic() + _UNKNOWN_RETRY
            return None
        bridge = segment.ensure(network.id, network.vni, network.mtu,
                                self.local, self.peers)
        self._segments.add(network_id[:8])
        return bridge

    def sync(self):
        """One round: attach registered taps, detach unregistered ones."""
        wanted = {}
        vhostuser = {}
        for port_id, port in self.agent.ports().items():
            if port.get('type') != 0:
                continue
            if 'vhostuser-mode' in port and self.vhostuser is not None:
                vhostuser[port_id] = port['system-name']
                wanted[VhostUserPlane.device(port_id)] = port['vn-id']
            else:
                wanted[port['system-name']] = port['vn-id']
        if self.vhostuser is not None:
            self.vhostuser.sync(vhostuser)
        bridges = {}
        for network_id in set(wanted.values()):
            bridges[network_id] = self._ensure_segment(network_id)
        masters = dict((name, iproute.netdev_master(name))
                       for name in iproute.netdevs())
        for device, network_id in wanted.items():
            bridge = bridges[network_id]
            if (bridge is None or device not in masters or
                    masters[device] == bridge):
                continue
            iproute.ip('link', 'set', 'dev', device, 'master', bridge, 'up')
            masters[device] = bridge
            LOG.info('attached %s to %s', device, bridge)
        # Taps of ports the agent no longer has carry nothing (a VXLAN
        # device is on its segment's bridge for good).
        ours = dict((segment.bridge_name(key), key) for key in self._segments)
        in_use = set()
        for device, master in masters.items():
            key = ours.get(master)
            if key is None or device.startswith(segment.VXLAN_PREFIX):
                continue
            if (wanted.get(device) or '')[:8] == key:
                in_use.add(key)
                continue
            try:
                iproute.ip('link', 'set', 'dev', device, 'nomaster')
                LOG.info('detached %s from network %s', device, key)
            except iproute.CommandFailed:
                pass  # the tap went away meanwhile
        in_use |= set(network_id[:8] for network_id in wanted.values())
        for key in sorted(self._segments - in_use):
            segment.remove(key)
            self._segments.discard(key)


class VhostUserPlane(object):
    """A DPDK vRouter's forwarding, one testpmd per vhost-user port.

    Each forwarder connects to the socket QEMU serves for the port (the
    path the binding gave, after the port's device name) as its client,
    and forwards to a tap of its own (``device(port id)``), which the
    datapath puts on the port's segment.  A forwarder starts when the
    agent gets the port, before QEMU (which waits for its client before
    it runs the guest), and reconnects by itself when QEMU comes back (a
    hard reboot, a stop and start).

    :param wrapper: the words that run testpmd where QEMU is (the node's
        root)
    :param log_dir: each forwarder's output, ``<port id>.log``
    """

    SOCKET_TEMPLATE = '/var/run/vrouter/uvh_vif_%s'
    START_TIMEOUT = 60.0

    def __init__(self, wrapper, log_dir):
        self.wrapper = list(wrapper)
        self.log_dir = log_dir
        self._forwarders = {}  # port id -> testpmd.PortForwarder
        self._lock = threading.Lock()

    @staticmethod
    def device(port_id):
        """The tap of a port's forwarder, in the node's namespace."""
        return cloud_layout.PREFIX + 'd-' + port_id[:8]

    def sync(self, ports):
        """Forwarders for exactly these ports.

        :param ports: {port id: its device name (the socket's suffix)}
        """
        with self._lock:
            for port_id in sorted(set(self._forwarders) - set(ports)):
                self._forwarders.pop(port_id).stop()
                LOG.info('port %s: forwarder stopped', port_id)
            for port_id, device in sorted(ports.items()):
                forwarder = self._forwarders.get(port_id)
                if forwarder is not None and forwarder.running():
                    continue
                self._forwarders[port_id] = self._start(port_id, device)

    def _start(self, port_id, device):
        # Imported here: kernel nodes never load the testing package's
        # testpmd driver.
        from vrouter_testing import testpmd
        os.makedirs(self.log_dir, exist_ok=True)
        forwarder = testpmd.PortForwarder(
            self.SOCKET_TEMPLATE % device,
            os.path.join(self.log_dir, port_id + '.log'),
            tap=self.device(port_id), niceness=19,
            private_run='/run/dpdk', wrapper=self.wrapper)
        forwarder.start()
        threading.Thread(target=self._forward, args=(port_id, forwarder),
                         daemon=True).start()
        LOG.info('port %s: forwarder for %s, tap %s', port_id,
                 forwarder.socket, forwarder.tap)
        return forwarder

    def _forward(self, port_id, forwarder):
        try:
            forwarder.forward(self.START_TIMEOUT)
        except Exception as exc:  # noqa: the next round starts another
            LOG.error('port %s: forwarder failed: %s', port_id, exc)
            forwarder.stop()

    def stop(self):
        with self._lock:
            for forwarder in self._forwarders.values():
                forwarder.stop()
            self._forwarders.clear()
