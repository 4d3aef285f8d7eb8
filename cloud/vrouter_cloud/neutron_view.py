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

"""What the datapath needs to know of Neutron's networks, read as admin.

A vRouter learns its virtual networks (VXLAN id, subnets, gateways) from
the controller; the stand-in datapath asks Neutron, the controller's
Neutron side here.
"""

import collections

Network = collections.namedtuple('Network', 'id vni mtu subnets project_id')
Subnet = collections.namedtuple('Subnet', 'id cidr gateway dhcp')
Port = collections.namedtuple('Port', 'id mac ips device_id project_id '
                                      'network_id')
# The device owners of a router's ports on its networks (Neutron's).
ROUTER_INTERFACE_OWNERS = ('network:router_interface',
                           'network:router_interface_distributed',
                           'network:ha_router_replicated_interface')

FloatingIP = collections.namedtuple('FloatingIP', 'address fixed port_id')


def _network(network, subnets):
    return Network(
        id=network.id, vni=network.provider_segmentation_id,
        mtu=network.mtu or 1500,
        subnets=tuple(sorted(
            Subnet(s.id, s.cidr, s.gateway_ip, bool(s.is_dhcp_enabled))
            for s in subnets
            if s.ip_version == 4 and s.gateway_ip)),
        project_id=network.project_id)


class Neutron(object):
    """Neutron's networks, ports and floating IPs, in the datapath's terms.

    :param connection: an openstack.connection.Connection with admin rights
    """

    def __init__(self, connection):
        self.connection = connection

    def network(self, network_id):
        """A VXLAN network with its IPv4 subnets, or None."""
        network = self.connection.network.find_network(
            network_id, ignore_missing=True)
        if network is None or network.provider_network_type != 'vxlan':
            return None
        return _network(network, self.connection.network.subnets(
            network_id=network_id))

    def networks(self):
        """{network id: Network} of every VXLAN network with a subnet."""
        by_network = collections.defaultdict(list)
        for subnet in self.connection.network.subnets():
            by_network[subnet.network_id].append(subnet)
        found = {}
        for network in self.connection.network.networks(
                provider_network_type='vxlan'):
            info = _network(network, by_network.get(network.id, ()))
            if info.subnets:
                found[network.id] = info
        return found

    def instance_ports(self):
        """[Port] of every server's port with an IPv4 address."""
        found = []
        for port in self.connection.network.ports():
            if not (port.device_owner or '').startswith('compute:'):
                continue
            ips = tuple(f['ip_address'] for f in port.fixed_ips
                        if ':' not in f['ip_address'])
            if ips:
                found.append(Port(port.id, port.mac_address.lower(), ips,
                                  port.device_id, port.project_id,
                                  port.network_id))
        return found

    def router_interfaces(self):
        """{network id: sorted ids of the routers it is attached to}."""
        found = collections.defaultdict(set)
        for owner in ROUTER_INTERFACE_OWNERS:
            for port in self.connection.network.ports(device_owner=owner):
                if port.device_id:
                    found[port.network_id].add(port.device_id)
        return dict((k, sorted(v)) for k, v in found.items())

    def floating_ips(self):
        """[FloatingIP] of every floating IP given to a fixed IP."""
        return [FloatingIP(fip.floating_ip_address, fip.fixed_ip_address,
                           fip.port_id)
                for fip in self.connection.network.ips()
                if fip.fixed_ip_address]
