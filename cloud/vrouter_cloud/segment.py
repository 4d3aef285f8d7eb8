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

"""One virtual network's L2 segment in one namespace: a bridge and VXLAN.

The vRouter joins the compute nodes of a virtual network with an overlay
(MPLS over UDP/GRE, or VXLAN with the network's VXLAN id); here every
namespace that has a network in use (a node with a port on it, the
gateway) has a bridge ``vrcb-<network id[:8]>`` and a VXLAN device
``vrcx-<network id[:8]>`` on it, with the network's VNI (Neutron's
segmentation id), over the management network.  Broadcasts (ARP, DHCP)
go to every other namespace of the cloud (head-end replication: one
all-zero forwarding entry per peer); unicast follows what the VXLAN
device learnt, so a guest that moved is found where it answers from
(QEMU announces a migrated guest with RARP).

A node calls it inside its own namespace; the gateway names the
namespace that holds the segment (a project's router namespace) and the
one whose underlay device carries the VXLAN: a VXLAN device moved to
another namespace keeps its tunnel in the one it was made in.
"""

import logging

from vrouter_testing import iproute

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import netns

LOG = logging.getLogger(__name__)


BRIDGE_PREFIX = cloud_layout.BRIDGE_PREFIX
VXLAN_PREFIX = cloud_layout.VXLAN_PREFIX


# The functions below take a network id or its first 8 characters: the
# devices' names keep no more.
def bridge_name(network_id):
    return BRIDGE_PREFIX + network_id[:8]


def vxlan_name(network_id):
    return VXLAN_PREFIX + network_id[:8]


def _exists(name, namespace):
    if namespace is None:
        return iproute.netdev_exists(name)
    return netns.netdev_exists(name, namespace)


def ensure(network_id, vni, mtu, local, peers, namespace=None,
           underlay=None):
    """The segment of a network in a namespace; its bridge's name.

    :param network_id: Neutron's network id
    :param vni: its VXLAN id (the segmentation id of its VXLAN segment)
    :param mtu: the network's MTU (the guests' and the devices')
    :param local: the underlay address of the VXLAN's namespace
    :param peers: the underlay addresses of the other namespaces
    :param namespace: where the segment goes (None: the caller's)
    :param underlay: the namespace of the underlay device, if not the
        segment's
    """
    bridge = bridge_name(network_id)
    vxlan = vxlan_name(network_id)
    if not _exists(bridge, namespace):
        iproute.ip('link', 'add', bridge, 'mtu', str(mtu), 'type', 'bridge',
                   netns=namespace)
        # Forward at once: no STP listening delay for guests.
        iproute.ip('link', 'set', bridge, 'type', 'bridge', 'forward_delay',
                   '0', 'stp_state', '0', netns=namespace)
        LOG.info('network %s: bridge %s', network_id, bridge)
    if not _exists(vxlan, namespace):
        made_in = underlay or namespace
        iproute.ip('link', 'add', vxlan, 'mtu', str(mtu), 'type', 'vxlan',
                   'id', str(vni), 'local', local, 'dstport',
                   str(cloud_layout.VXLAN_PORT), 'dev',
                   cloud_layout.UNDERLAY_DEVICE, netns=made_in)
        if made_in != namespace:
            iproute.ip('link', 'set', vxlan, 'netns', namespace,
                       netns=made_in)
        fdb = ['bridge'] + (['-netns', namespace] if namespace else [])
        for peer in peers:
            iproute.run(*(fdb + ['fdb', 'append', '00:00:00:00:00:00',
                                 'dev', vxlan, 'dst', peer]))
        iproute.ip('link', 'set', vxlan, 'master', bridge, 'up',
                   netns=namespace)
        LOG.info('network %s: vxlan %s id %d to %s', network_id, vxlan, vni,
                 ', '.join(peers))
    iproute.ip('link', 'set', bridge, 'up', netns=namespace)
    return bridge


def remove(network_id, namespace=None):
    """Remove a network's segment from a namespace (None: the caller's)."""
    for name in (vxlan_name(network_id), bridge_name(network_id)):
        try:
            iproute.ip('link', 'del', name, netns=namespace)
        except iproute.CommandFailed:
            pass  # already gone
    LOG.info('network %s: segment removed', network_id)
