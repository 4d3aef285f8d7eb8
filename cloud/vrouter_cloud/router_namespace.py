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

"""A Neutron router's namespace: its networks' gateways, DHCP, metadata, NAT.

The vRouter keeps a routing instance (a VRF) per virtual network, so
that networks may use the same addresses; a logical router joins
networks and takes them out through SNAT and floating IPs.  The
stand-in does what Neutron's own L3 and DHCP agents do: a network
namespace per router (``vrcloud-r<router id[:8]>``), and one per network
attached to no router (``vrcloud-r<network id[:8]>``, isolated: DHCP and
metadata only), holding:

- the segment of each of its networks, with the subnets' gateway
  addresses, so that a router's networks reach each other;
- a router's uplink, a veth with a /30 of ``UPLINK_CIDR`` to the gateway
  namespace, its default route;
- ``nat``: a router's floating IPs (one-to-one NAT) and SNAT of
  everything else that leaves through the uplink;
- ``dhcp``: a dnsmasq for its subnets;
- ``metadata_proxy`` at 169.254.169.254, which finds the server by
  source address among the ports of its networks.

Neutron refuses overlapping subnets on one network and on one router,
so addresses are unique within a namespace.  (The test machines' kernel
has no VRF device, which would be the vRouter's way.)
"""

import ipaddress
import logging
import os

from vrouter_testing import iproute

from vrouter_cloud import dhcp as cloud_dhcp
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import metadata_proxy
from vrouter_cloud import nat
from vrouter_cloud import netns
from vrouter_cloud import segment

LOG = logging.getLogger(__name__)


def domain_of(network_id, interfaces):
    """The router whose namespace serves a network, or the network's id.

    :param interfaces: neutron_view.Neutron.router_interfaces()
    """
    # A network on two routers is served by the first one's.
    routers = interfaces.get(network_id)
    return routers[0] if routers else network_id


def uplink_addresses(index):
    """(gateway end, router end) of the index-th /30 of UPLINK_CIDR."""
    uplinks = ipaddress.ip_network(cloud_layout.UPLINK_CIDR)
    if not 0 <= index < uplinks.num_addresses // 4:
        raise ValueError('no uplink %d in %s' % (index, uplinks))
    first = uplinks.network_address + 4 * index
    return str(first + 1), str(first + 2)


def _add_address(address, device, namespace):
    try:
        iproute.ip('address', 'add', address, 'dev', device, netns=namespace)
    except iproute.CommandFailed as exc:
        if 'File exists' not in str(exc):
            raise


class RouterNamespace(object):
    """A router's (or an isolated network's) namespace, made by ``setup``.

    :param domain_id: the router's id, or the isolated network's
    :param index: its uplink's /30 in UPLINK_CIDR, or None for an
        isolated network (no uplink)
    :param local: the gateway namespace's underlay address
    :param peers: the nodes' underlay addresses
    :param state_dir: where its dnsmasq keeps its files
    :param metadata: (upstream URL, shared secret) of Nova's metadata API
    """

    def __init__(self, domain_id, index, local, peers, state_dir, metadata):
        self.domain_id = domain_id
        self.index = index
        self.namespace = cloud_layout.router_netns(domain_id)
        self.uplink = cloud_layout.UPLINK_PREFIX + domain_id[:8]
        self.gateway_end = self.router_end = None
        if index is not None:
            self.gateway_end, self.router_end = uplink_addresses(index)
        self.local = local
        self.peers = list(peers)
        self.dhcp = cloud_dhcp.Dhcp(
            os.path.join(state_dir, self.namespace), self.namespace)
        self.floating_ips = nat.FloatingIPs(self.namespace,
                                            cloud_layout.UPLINK_DEVICE)
        self._metadata = metadata
        self._proxy = None
        self._owners = {}  # fixed IP -> (instance id, project id)
        self._addresses = {}  # network id -> {gateway/prefixlen}

    def setup(self):
        """The namespace, its uplink and NAT if a router's, metadata."""
        netns.add(self.namespace)
        if self.index is not None:
            self._setup_uplink()
        _add_address(cloud_layout.METADATA_ADDRESS + '/32', 'lo',
                     self.namespace)
        upstream, secret = self._metadata
        self._proxy = metadata_proxy.MetadataProxy(
            cloud_layout.METADATA_ADDRESS, upstream, secret, self.owner,
            namespace=self.namespace)
        self._proxy.start()
        LOG.info('%s: namespace %s, uplink %s - %s', self.domain_id,
                 self.namespace, self.gateway_end, self.router_end)

    def _setup_uplink(self):
        gateway = cloud_layout.GATEWAY_NETNS
        if not netns.netdev_exists(self.uplink, gateway):
            iproute.ip('link', 'add', self.uplink, 'type', 'veth', 'peer',
                       'name', cloud_layout.UPLINK_DEVICE, 'netns',
                       self.namespace, netns=gateway)
        _add_address(self.gateway_end + '/30', self.uplink, gateway)
        _add_address(self.router_end + '/30', cloud_layout.UPLINK_DEVICE,
                     self.namespace)
        iproute.ip('link', 'set', self.uplink, 'up', netns=gateway)
        iproute.ip('link', 'set', cloud_layout.UPLINK_DEVICE, 'up',
                   netns=self.namespace)
        iproute.ip('route', 'replace', 'default', 'via', self.gateway_end,
                   netns=self.namespace)
        netns.sysctl('net.ipv4.ip_forward', 1, netns=self.namespace)
        self.floating_ips.update(set())

    def owner(self, address):
        """(instance id, project id) of a server's address, or None."""
        return self._owners.get(address)

    def update(self, networks, ports, floating_ips):
        """Match Neutron.

        :param networks: {network id: neutron_view.Network} it routes
        :param ports: [neutron_view.Port] of servers on those networks
        :param floating_ips: {(floating address, fixed address)} of
            those ports (a router's only)
        """
        self.prune(networks)
        for network in networks.values():
            self._serve(network)
        self.dhcp.update(
            set((n.id, s.cidr, n.mtu) for n in networks.values()
                for s in n.subnets if s.dhcp),
            set((p.mac, ip) for p in ports for ip in p.ips))
        self._owners = dict((ip, (p.device_id, p.project_id))
                            for p in ports for ip in p.ips)
        if self.index is not None:
            self.floating_ips.update(floating_ips)

    def prune(self, network_ids):
        """Remove the segments of the networks it no longer routes.

        :param network_ids: the networks it keeps
        """
        for network_id in sorted(set(self._addresses) - set(network_ids)):
            segment.remove(network_id, self.namespace)
            del self._addresses[network_id]

    def _serve(self, network):
        if network.id in self._addresses:
            # Made in an earlier round: nobody else touches this
            # namespace, and asking ip(8) again every round for every
            # network costs the machine more than the guests' traffic.
            bridge = segment.bridge_name(network.id)
        else:
            bridge = segment.ensure(network.id, network.vni, network.mtu,
                                    self.local, self.peers,
                                    namespace=self.namespace,
                                    underlay=cloud_layout.GATEWAY_NETNS)
        wanted = set('%s/%d' % (s.gateway,
                                ipaddress.ip_network(s.cidr).prefixlen)
                     for s in network.subnets)
        have = self._addresses.setdefault(network.id, set())
        for address in sorted(wanted - have):
            _add_address(address, bridge, self.namespace)
            LOG.info('network %s: gateway %s', network.id, address)
        for address in sorted(have - wanted):
            iproute.ip('address', 'del', address, 'dev', bridge,
                       netns=self.namespace)
            LOG.info('network %s: gateway %s removed', network.id, address)
        self._addresses[network.id] = wanted

    def stop(self):
        """Stop its DHCP and metadata proxy; the namespace stays."""
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        self.dhcp.stop()

    def remove(self):
        """Stop its services and remove the namespace (and the uplink)."""
        self.stop()
        netns.delete(self.namespace)
        LOG.info('%s: namespace %s removed', self.domain_id, self.namespace)
