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

"""The management network that joins the host, the gateway and the nodes.

A bridge on the host (``vrcm-br``) holds the control plane's address;
each namespace of the cloud (the gateway, every compute node) has a veth
into it with an address of its own (layout).  It is what a data centre's
management and underlay networks are to real compute nodes: the nodes
reach the control plane and each other's libvirtd, sshd and VXLAN
endpoints over it.  The host routes the floating IPs and the routers'
uplinks (what guests send out leaves from there) to the gateway
namespace, and nothing else of the host goes there.
"""

import ipaddress
import time

from vrouter_testing import iproute

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import netns

_PREFIXLEN = ipaddress.ip_network(cloud_layout.MANAGEMENT_CIDR).prefixlen


class VethLingers(Exception):
    """A deleted namespace's veth is still on the host."""


def _veth(namespace):
    # The host end is named after the namespace, without its prefix:
    # vrcm-gw, vrcm-node1 (interface names have 15 characters).
    return cloud_layout.MANAGEMENT_VETH_PREFIX + namespace[
        len(cloud_layout.NAMESPACE_PREFIX):]


def setup_host():
    """The management bridge with the control plane's address."""
    bridge = cloud_layout.MANAGEMENT_BRIDGE
    if not iproute.netdev_exists(bridge):
        iproute.ip('link', 'add', bridge, 'type', 'bridge')
        iproute.ip('link', 'set', bridge, 'type', 'bridge',
                   'forward_delay', '0', 'stp_state', '0')
        iproute.ip('address', 'add', '%s/%d' % (
            cloud_layout.CONTROL_ADDRESS, _PREFIXLEN), 'dev', bridge)
    iproute.ip('link', 'set', bridge, 'up')


def attach(namespace, address):
    """A namespace (made if needed) on the management network."""
    netns.add(namespace)
    host_end = _veth(namespace)
    if not iproute.netdev_exists(host_end):
        iproute.ip('link', 'add', host_end, 'type', 'veth', 'peer', 'name',
                   cloud_layout.UNDERLAY_DEVICE, 'netns', namespace)
        iproute.ip('address', 'add', '%s/%d' % (address, _PREFIXLEN), 'dev',
                   cloud_layout.UNDERLAY_DEVICE, netns=namespace)
    iproute.ip('link', 'set', host_end, 'master',
               cloud_layout.MANAGEMENT_BRIDGE, 'up')
    iproute.ip('link', 'set', cloud_layout.UNDERLAY_DEVICE, 'up',
               netns=namespace)


def detach(namespace, timeout=30.0):
    """Delete a namespace and wait until its veth has left the host.

    The kernel dismantles a deleted namespace's devices in the background
    (once no process is left in it): its veth's host end stays a moment,
    and ``attach`` would take it for the new namespace's.

    :raises: VethLingers if it is still there after timeout
    """
    netns.delete(namespace)
    host_end = _veth(namespace)
    deadline = time.monotonic() + timeout
    while iproute.netdev_exists(host_end):
        if time.monotonic() > deadline:
            raise VethLingers('%s is still on the host %d s after its '
                              'namespace %s was deleted: a process still '
                              'runs in it' % (host_end, timeout, namespace))
        time.sleep(0.1)


def route_to_gateway():
    """The floating IPs and the routers' uplinks: through the gateway.

    The external network's gateway address is the host's (on the
    management bridge, /32: the rest of the floating range stays with the
    gateway namespace), and the gateway namespace routes that one address
    to the host, so that what a guest sends there leaves from its
    floating IP and comes back.
    """
    for cidr in (cloud_layout.UPLINK_CIDR, cloud_layout.FLOATING_CIDR):
        iproute.ip('route', 'replace', cidr, 'via',
                   cloud_layout.GATEWAY_ADDRESS)
    iproute.ip('address', 'replace', cloud_layout.EXTERNAL_GATEWAY + '/32',
               'dev', cloud_layout.MANAGEMENT_BRIDGE)
    iproute.ip('route', 'replace', cloud_layout.EXTERNAL_GATEWAY, 'via',
               cloud_layout.CONTROL_ADDRESS, netns=cloud_layout.GATEWAY_NETNS)


def cleanup():
    """Remove the cloud's namespaces and host devices; what was removed.

    A namespace's devices go with it; a QEMU that still held a tap there
    was stopped with its libvirtd before.
    """
    removed = []
    for name in netns.names(cloud_layout.NAMESPACE_PREFIX):
        netns.delete(name)
        removed.append('netns ' + name)
    for name in iproute.netdevs():
        if cloud_layout.is_cloud_device(name):
            try:
                iproute.ip('link', 'del', name)
                removed.append(name)
            except iproute.CommandFailed:
                pass  # gone with its peer
    # The routes went with the bridge's address.
    return removed
