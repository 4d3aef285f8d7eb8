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

    python -m vrouter_cloud.gateway
        --local ADDRESS --peer ADDRESS [--peer ...] --state-dir DIR
        --metadata-upstream URL --metadata-secret SECRET [--cloud NAME]

What the vRouters of a cloud and its SDN gateway give the guests beyond
their own segment.  The gateway namespace (``vrcloud-gw``) is on the
management network, where the host routes the floating IPs and the
routers' uplinks to it; each Neutron router, and each network attached
to none, gets a namespace of its own (``router_namespace``: its
networks' segments and gateway addresses, DHCP, metadata, a router's
NAT), since networks may use the same addresses.  The gateway namespace
routes each floating IP to the router that holds its fixed IP.
Everything follows Neutron, read every ``--interval`` seconds.  Runs on
the host and works in the namespaces by name.  Prints ``ready`` once
the first round is done; on SIGTERM stops DHCP and the proxies and
leaves the namespaces to ``cloud down``.
"""

import argparse
import collections
import logging
import os
import signal
import sys
import threading

import openstack
from vrouter_testing import iproute

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import netns
from vrouter_cloud import neutron_view
from vrouter_cloud import router_namespace

LOG = logging.getLogger('gateway')


class Gateway(object):
    """One round at a time, the namespaces made to match Neutron.

    :param neutron: a neutron_view.Neutron
    :param local: the gateway namespace's underlay address
    :param peers: the nodes' underlay addresses
    :param state_dir: where the namespaces' dnsmasqs keep their files
    :param metadata: (upstream URL, shared secret) of Nova's metadata API
    :param namespace_class: what makes a router's namespace (tests
        change it)
    """

    def __init__(self, neutron, local, peers, state_dir, metadata,
                 namespace_class=router_namespace.RouterNamespace):
        self.neutron = neutron
        self.local = local
        self.peers = list(peers)
        self.state_dir = state_dir
        self.metadata = metadata
        self.namespace_class = namespace_class
        self.namespaces = {}  # router or isolated network id -> namespace
        self._routes = {}  # floating address -> router end of its uplink

    def sync(self):
        networks = self.neutron.networks()
        interfaces = self.neutron.router_interfaces()
        domains = collections.defaultdict(dict)  # id -> {network id: net}
        domain_of = {}  # network id -> its domain's id
        routers = set()
        for network in networks.values():
            domain_id = router_namespace.domain_of(network.id, interfaces)
            if domain_id != network.id:
                routers.add(domain_id)
            domains[domain_id][network.id] = network
            domain_of[network.id] = domain_id
        # What leaves a namespace goes before anything is made: a
        # network's VXLAN id can be in one namespace only.
        for domain_id, namespace in sorted(self.namespaces.items()):
            is_router = namespace.index is not None
            if (domain_id not in domains or
                    is_router != (domain_id in routers)):
                self.namespaces.pop(domain_id).remove()
                # Its routes went with its uplink.
                self._routes = dict(
                    (address, hop) for address, hop in self._routes.items()
                    if hop != namespace.router_end)
            else:
                namespace.prune(domains[domain_id])
        ports = [p for p in self.neutron.instance_ports()
                 if p.network_id in networks]
        by_port = dict((p.id, p) for p in ports)
        floating = collections.defaultdict(set)
        routes = {}
        for fip in self.neutron.floating_ips():
            port = by_port.get(fip.port_id)
            if port is None or domain_of[port.network_id] not in routers:
                continue  # not a server's port behind one of our routers
            domain_id = domain_of[port.network_id]
            floating[domain_id].add((fip.address, fip.fixed))
            routes[fip.address] = domain_id
        for domain_id, members in sorted(domains.items()):
            namespace = self.namespaces.get(domain_id)
            if namespace is None:
                namespace = self._add(domain_id, domain_id in routers)
            namespace.update(
                members, [p for p in ports if p.network_id in members],
                floating.get(domain_id, set()))
        self._route_floating_ips(dict(
            (address, self.namespaces[domain_id].router_end)
            for address, domain_id in routes.items()))

    def _add(self, domain_id, is_router):
        index = None
        if is_router:
            used = set(n.index for n in self.namespaces.values())
            index = min(set(range(len(used) + 1)) - used)
        namespace = self.namespace_class(
            domain_id, index, self.local, self.peers, self.state_dir,
            self.metadata)
        namespace.setup()
        self.namespaces[domain_id] = namespace
        return namespace

    def _route_floating_ips(self, routes):
        """:param routes: {floating address: next hop}"""
        for address, hop in sorted(routes.items()):
            if self._routes.get(address) != hop:
                iproute.ip('route', 'replace', address + '/32', 'via', hop,
                           netns=cloud_layout.GATEWAY_NETNS)
        for address in sorted(set(self._routes) - set(routes)):
            try:
                iproute.ip('route', 'del', address + '/32',
                           netns=cloud_layout.GATEWAY_NETNS)
            except iproute.CommandFailed:
                pass  # gone with its router's uplink
        self._routes = routes

    def stop(self):
        """Stop every namespace's DHCP and metadata proxy."""
        for namespace in self.namespaces.values():
            namespace.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--local', required=True)
    parser.add_argument('--peer', action='append', default=[])
    parser.add_argument('--state-dir', required=True,
                        help='the dnsmasqs\' hosts files and logs')
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
    netns.sysctl('net.ipv4.ip_forward', 1, netns=cloud_layout.GATEWAY_NETNS)
    # A router left by an earlier gateway is made again from Neutron.
    for name in netns.names(cloud_layout.ROUTER_NETNS_PREFIX):
        netns.delete(name)
    os.makedirs(args.state_dir, exist_ok=True)
    gateway = Gateway(
        neutron_view.Neutron(openstack.connect(cloud=args.cloud)),
        args.local, args.peer, args.state_dir,
        (args.metadata_upstream, args.metadata_secret))
    try:
        gateway.sync()
        print('ready', flush=True)
        while not stop.wait(args.interval):
            try:
                gateway.sync()
            except Exception:  # noqa: a failed round is retried
                LOG.exception('gateway round failed')
    finally:
        gateway.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
