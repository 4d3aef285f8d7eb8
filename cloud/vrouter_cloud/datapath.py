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
``vhostuser-mode`` is a vhost-user port: no tap of the port's name ever
exists; its forwarder (``vhostuser_plane``) joins the socket QEMU serves
to a tap of its own, and that tap joins the port's segment as a kernel
port's tap does, with the network's MTU.

Routing between networks, DHCP, floating IPs and the metadata service are
the gateway's (``gateway``).  Networks (VXLAN id, MTU) come from Neutron,
as the vRouter's come from the controller.  Test tree only: the plugin
knows nothing of this.
"""

import logging
import threading
import time

from vrouter_testing import iproute

from vrouter_cloud import segment

LOG = logging.getLogger(__name__)

# Seconds before Neutron is asked again about a network it did not know.
_UNKNOWN_RETRY = 5.0


def _mtu(device):
    with open('%s/%s/mtu' % (iproute.SYS_NET, device)) as f:
        return f.read().strip()


class KernelDatapath(object):
    """Connects the agent's ports to their networks (see module doc).

    :param agent: the AgentStandIn whose ports are followed
    :param neutron: a neutron_view.Neutron
    :param local: this node's underlay address
    :param peers: the underlay addresses of the gateway and other nodes
    :param interval: seconds between two looks at the agent and the taps
    :param vhostuser: a DPDK node's vhostuser_plane.VhostUserPlane, or
        None (a kernel node)
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
            if self.vhostuser is not None and 'vhostuser-mode' in port:
                vhostuser[port_id] = (port['system-name'],
                                      port['vhostuser-mode'])
                wanted[self.vhostuser.device(port_id)] = port['vn-id']
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
            # A forwarder's tap starts at 1500; libvirt gives a kernel
            # port's tap the network's MTU.
            iproute.ip('link', 'set', 'dev', device, 'mtu',
                       _mtu(bridge), 'master', bridge, 'up')
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
