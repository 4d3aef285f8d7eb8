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

"""Legacy Nova network -> os-vif ``Network`` (subnets, IPs, routes, MTU).

The result equals what Nova's ``os_vif_util`` builds from the same network,
field for field, so that the two can be compared as primitives.
"""

import typing as ty

from os_vif.objects import fixed_ip as osv_fixed_ip
from os_vif.objects import network as osv_network
from os_vif.objects import route as osv_route
from os_vif.objects import subnet as osv_subnet

from os_vif_translate import exception
from os_vif_translate import structure
from os_vif_translate import validate


def _address(port_id: str, ip: ty.Any, where: str) -> str:
    """The 'address' of a Nova IP-like mapping ({'address': ...})."""
    ip = structure.require_mapping(port_id, ip, where)
    return structure.get(port_id, ip, 'address', str, where)


def _gateway(port_id: str, holder: ty.Mapping[str, ty.Any],
             where: str) -> ty.Optional[str]:
    gateway = structure.get_mapping(port_id, holder, 'gateway', where,
                                    default=None)
    if gateway is None:
        return None
    return structure.get(port_id, gateway, 'address', str,
                         where + '.gateway', default=None)


def _fixed_ip(port_id: str, ip: ty.Any, where: str) -> ty.Any:
    address = _address(port_id, ip, where)
    floating = [
        _address(port_id, fip, '%s.floating_ips[%d]' % (where, i))
        for i, fip in enumerate(
            structure.get_list(port_id, ip, 'floating_ips', where))]
    return osv_fixed_ip.FixedIP(address=address, floating_ips=floating)


def _route(port_id: str, route: ty.Any, where: str) -> ty.Any:
    route = structure.require_mapping(port_id, route, where)
    obj = osv_route.Route(
        cidr=structure.get(port_id, route, 'cidr', str, where))
    interface = structure.get(port_id, route, 'interface', str, where,
                              default=None)
    if interface is not None:
        obj.interface = interface
    gateway = _gateway(port_id, route, where)
    if gateway is not None:
        obj.gateway = gateway
    return obj


def _subnet(port_id: str, subnet: ty.Any, where: str) -> ty.Any:
    subnet = structure.require_mapping(port_id, subnet, where)
    dns = [_address(port_id, ip, '%s.dns[%d]' % (where, i))
           for i, ip in enumerate(
               structure.get_list(port_id, subnet, 'dns', where))]
    ips = [_fixed_ip(port_id, ip, '%s.ips[%d]' % (where, i))
           for i, ip in enumerate(
               structure.get_list(port_id, subnet, 'ips', where))]
    routes = [_route(port_id, route, '%s.routes[%d]' % (where, i))
              for i, route in enumerate(
                  structure.get_list(port_id, subnet, 'routes', where))]
    obj = osv_subnet.Subnet(
        dns=dns,
        ips=osv_fixed_ip.FixedIPList(objects=ips),
        routes=osv_route.RouteList(objects=routes))
    cidr = structure.get(port_id, subnet, 'cidr', str, where, default=None)
    if cidr is not None:
        obj.cidr = cidr
    gateway = _gateway(port_id, subnet, where)
    if gateway is not None:
        obj.gateway = gateway
    return obj


def _mtu(port_id: str, meta: ty.Mapping[str, ty.Any]) -> ty.Optional[int]:
    mtu = structure.get(port_id, meta, 'mtu', int, 'network.meta',
                        default=None)
    if mtu is not None and mtu <= 0:
        raise exception.MalformedVIF(
            port_id=port_id,
            reason='network.meta.mtu must be positive, not %d' % mtu)
    return mtu


def translate_network(port_id: str, network: ty.Any) -> ty.Any:
    """Convert the 'network' of a legacy VIF.

    :param port_id: the port id, for error messages
    :param network: a nova.network.model.Network or its dict form
    :returns: os_vif.osv_network.Network
    :raises: exception.MalformedVIF, exception.InvalidNetworkId
    """
    network = structure.require_mapping(port_id, network, 'network')
    meta = structure.get_mapping(port_id, network, 'meta', 'network',
                                 default={})
    subnets = structure.get_list(port_id, network, 'subnets', 'network')
    try:
        netobj = osv_network.Network(
            id=validate.network_id(
                port_id, structure.get(port_id, network, 'id', str,
                                       'network')),
            bridge_interface=structure.get(
                port_id, meta, 'bridge_interface', str, 'network.meta',
                default=None),
            subnets=osv_subnet.SubnetList(objects=[
                _subnet(port_id, subnet, 'network.subnets[%d]' % i)
                for i, subnet in enumerate(subnets)]))
    except ValueError as exc:
        # An address or CIDR that os-vif's fields refuse.
        raise exception.MalformedVIF(port_id=port_id, reason=str(exc))

    bridge = structure.get(port_id, network, 'bridge', str, 'network',
                           default=None)
    if bridge is not None:
        netobj.bridge = bridge
    label = structure.get(port_id, network, 'label', str, 'network',
                          default=None)
    if label is not None:
        netobj.label = label
    mtu = _mtu(port_id, meta)
    if mtu is not None:
        netobj.mtu = mtu
    return netobj
