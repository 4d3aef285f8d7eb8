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

"""The gateway: routing, DHCP, floating IPs and metadata for the guests.

    ip netns exec vrcloud-gw python -m vrouter_cloud.gateway
        --local ADDRESS --peer ADDRESS [--peer ...] --state-dir DIR
        --metadata-upstream URL --metadata-secret SECRET [--cloud NAME]

What the vRouters of a cloud and its SDN gateway give the guests beyond
their own segment, in one namespace (``vrcloud-gw``) on the management
network: every VXLAN network of Neutron that has an IPv4 subnet gets its
segment here (``segment``) with the subnets' gateway addresses, so that
guests reach their gateway, each other's networks and, through the host's
route to this namespace, the host (tempest); ``dhcp``, ``nat`` (floating
IPs) and ``metadata_proxy`` (169.254.169.254) serve the servers' ports.
Everything follows Neutron, read every ``--interval`` seconds.  Prints
``ready`` once the first round is done; on SIGTERM stops DHCP and the
proxy and leaves the devices to ``cloud down``.
"""

import argparse
import ipaddress
import logging
import os
import signal
import sys
import threading

import openstack

from vrouter_cloud import dhcp as cloud_dhcp
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import metadata_proxy
from vrouter_cloud import nat
from vrouter_cloud import netns
from vrouter_cloud import neutron_view
from vrouter_cloud import segment

LOG = logging.getLogger('gateway')


class Gateway(object):
    """One round at a time, the namespace made to match Neutron.

    :param neutron: a neutron_view.Neutron
    :param local: this namespace's underlay address
    :param peers: the nodes' underlay addresses
    :param dhcp: a dhcp.Dhcp
    :param floating_ips: a nat.FloatingIPs
    """

    def __init__(self, neutron, local, peers, dhcp, floating_ips):
        self.neutron = neutron
        self.local = local
        self.peers = list(peers)
        self.dhcp = dhcp
        self.floating_ips = floating_ips
        self._addresses = {}  # network id -> {gateway/prefixlen}
        self._owners = {}  # fixed IP -> (instance id, project id)

    def owner(self, address):
        """(instance id, project id) of a server's address, or None."""
        return self._owners.get(address)

    def sync(self):
        networks = self.neutron.networks()
        for network in networks.values():
            self._serve(network)
        for network_id in sorted(set(self._addresses) - set(networks)):
            segment.remove(network_id)
            del self._addresses[network_id]
        ports = [p for p in self.neutron.instance_ports()
                 if p.network_id in networks]
        self.dhcp.update(
            set((n.id, s.cidr, n.mtu) for n in networks.values()
                for s in n.subnets if s.dhcp),
            set((p.mac, ip) for p in ports for ip in p.ips))
        self._owners = dict((ip, (p.device_id, p.project_id))
                            for p in ports for ip in p.ips)
        self.floating_ips.update(set(
            (f.address, f.fixed) for f in self.neutron.floating_ips()))

    def _serve(self, network):
        bridge = segment.ensure(network.id, network.vni, network.mtu,
                                self.local, self.peers)
        wanted = set('%s/%d' % (s.gateway,
                                ipaddress.ip_network(s.cidr).prefixlen)
                     for s in network.subnets)
        have = self._addresses.setdefault(network.id, set())
        for address in sorted(wanted - have):
            try:
                netns.ip('address', 'add', address, 'dev', bridge)
            except netns.CommandFailed as exc:
                if 'File exists' not in str(exc):
                    raise
            LOG.info('network %s: gateway %s', network.id, address)
        for address in sorted(have - wanted):
            netns.ip('address', 'del', address, 'dev', bridge)
            LOG.info('network %s: gateway %s removed', network.id, address)
        self._addresses[network.id] = wanted


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--local', required=True)
    parser.add_argument('--peer', action='append', default=[])
    parser.add_argument('--state-dir', required=True,
                        help='dnsmasq\'s hosts file and log')
    parser.add_argument('--metadata-upstream', required=True)
    parser.add_argument('--metadata-secret', required=True)
    parser.add_argument('--cloud', default='vrcloud-admin')
    parser.add_argument('--interval', type=float, default=2.0)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stdout,
        format='%(asctime)s %(levelname)s %(name)s %(message)s')
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    netns.sysctl('net.ipv4.ip_forward', 1)
    try:
        netns.ip('address', 'add', cloud_layout.METADATA_ADDRESS + '/32',
                 'dev', 'lo')
    except netns.CommandFailed as exc:
        if 'File exists' not in str(exc):
            raise
    os.makedirs(args.state_dir, exist_ok=True)
    gateway = Gateway(
        neutron_view.Neutron(openstack.connect(cloud=args.cloud)),
        args.local, args.peer, cloud_dhcp.Dhcp(args.state_dir),
        nat.FloatingIPs())
    proxy = metadata_proxy.MetadataProxy(
        cloud_layout.METADATA_ADDRESS, args.metadata_upstream,
        args.metadata_secret, gateway.owner)
    proxy.start()
    try:
        gateway.sync()
        print('ready', flush=True)
        while not stop.wait(args.interval):
            try:
                gateway.sync()
            except Exception:  # noqa: a failed round is retried
                LOG.exception('gateway round failed')
    finally:
        proxy.stop()
        gateway.dhcp.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
