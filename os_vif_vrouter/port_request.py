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

"""The port-add request: the JSON the agent receives and the port file holds.

One builder for the plugin and the CLI, so that both send the agent (and
write) the same thing.  Every value is checked here, before anything is
sent or written: the agent refuses a wrong JSON type with a 500, and it
silently turns a malformed UUID or address into a nil one.
"""

import datetime
import ipaddress
import json

from os_vif_vrouter import constants as c
from os_vif_vrouter import exception
from os_vif_vrouter import validate
from os_vif_vrouter import vif_fields

AUTHOR = 'os-vif-vrouter'

# Changes the agent does not apply when a port it already has (for the
# same instance) is added again: it only bumps the port's version.  A
# re-plug that changes one of them deletes the port at the agent first.
FIELDS_APPLIED_ONLY_ON_ADD = (c.KEY_SYSTEM_NAME, c.KEY_IP_ADDRESS,
                              c.KEY_IP6_ADDRESS, c.KEY_MAC_ADDRESS)

# Who wrote a request and when: informational, for people reading a file.
_INFORMATIONAL_FIELDS = (c.KEY_AUTHOR, c.KEY_TIME)

_PORT_TYPES = (c.PORT_TYPE_VM, c.PORT_TYPE_NAMESPACE, c.PORT_TYPE_ESXI)
_VHOSTUSER_MODES = (c.VHOSTUSER_MODE_VROUTER_SERVER,
                    c.VHOSTUSER_MODE_VROUTER_CLIENT)


def _invalid(port_id, reason):
    return exception.InvalidPortData(port_id=port_id, reason=reason)


def _is_int(value):
    # bool is an int in Python but not in JSON: the agent refuses true.
    return type(value) is int


def _address(port_id, value, version, none_value, what):
    if value is None:
        return none_value
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        address = None
    if address is None or address.version != version:
        raise _invalid(port_id, '%s %r is not an IPv%d address'
                       % (what, value, version))
    return str(address)


def _vlan(port_id, value, what):
    if not _is_int(value) or not c.NO_VLAN <= value <= 4095:
        raise _invalid(port_id, '%s %r is not a VLAN id (-1 for none, '
                       '0 to 4095)' % (what, value))
    return value


def build(port_id, instance_id, vn_id, display_name, mac_address,
          system_name, project_id='', ip_address=None, ip6_address=None,
          port_type=c.PORT_TYPE_VM, rx_vlan_id=c.NO_VLAN,
          tx_vlan_id=c.NO_VLAN, vhostuser_mode=None, author=AUTHOR,
          now=None):
    """Build and check a port-add request.

    :param project_id: 32 hex digits (Keystone's form), a UUID, or '' / None
    :param ip_address: the IPv4 address, None for none (sent as 0.0.0.0)
    :param ip6_address: the IPv6 address, None for none (sent as ::)
    :param vhostuser_mode: None (kernel port: key left out), 0 or 1
    :param now: a datetime for 'time' (default: now, UTC)
    :returns: a dict, keys in the order of the classic script
    :raises: InvalidPortId, InvalidPortData, InvalidDeviceName
    """
    port_id = validate.port_id(port_id)
    if port_type not in _PORT_TYPES or not _is_int(port_type):
        raise _invalid(port_id, 'port type %r is not one of %s'
                       % (port_type, _PORT_TYPES))
    instance_id = validate.uuid(port_id, instance_id, 'instance id')
    if port_type == c.PORT_TYPE_VM or vn_id != validate.NIL_UUID:
        # The agent refuses the nil VN only for VM ports.
        vn_id = validate.uuid(port_id, vn_id, 'network id')
    if display_name is None:
        display_name = ''
    if not isinstance(display_name, str):
        raise _invalid(port_id, 'display name %r is not a string'
                       % (display_name,))
    if vhostuser_mode is not None and (
            vhostuser_mode not in _VHOSTUSER_MODES or
            not _is_int(vhostuser_mode)):
        raise _invalid(port_id, 'vhost-user mode %r is not one of %s'
                       % (vhostuser_mode, _VHOSTUSER_MODES))
    now = now or datetime.datetime.now(datetime.timezone.utc)
    request = {
        c.KEY_ID: port_id,
        c.KEY_INSTANCE_ID: instance_id,
        c.KEY_IP_ADDRESS: _address(port_id, ip_address, 4,
                                   c.NO_IPV4_ADDRESS, 'IPv4 address'),
        c.KEY_IP6_ADDRESS: _address(port_id, ip6_address, 6,
                                    c.NO_IPV6_ADDRESS, 'IPv6 address'),
        c.KEY_VN_ID: vn_id,
        c.KEY_DISPLAY_NAME: display_name,
        c.KEY_PROJECT_ID: validate.project_id(port_id, project_id),
        c.KEY_MAC_ADDRESS: validate.mac_address(port_id, mac_address),
        c.KEY_SYSTEM_NAME: validate.device_name(system_name),
        c.KEY_TYPE: port_type,
        c.KEY_RX_VLAN_ID: _vlan(port_id, rx_vlan_id, 'rx VLAN id'),
        c.KEY_TX_VLAN_ID: _vlan(port_id, tx_vlan_id, 'tx VLAN id'),
    }
    if vhostuser_mode is not None:
        request[c.KEY_VHOSTUSER_MODE] = vhostuser_mode
    request[c.KEY_AUTHOR] = author
    request[c.KEY_TIME] = now.isoformat()
    return request


def _first_addresses(port_id, network):
    """The first IPv4 and the first IPv6 fixed IP of an os-vif Network."""
    ipv4 = ipv6 = None
    subnets = vif_fields.optional(network, 'subnets')
    for subnet in (subnets.objects if subnets is not None else ()):
        ips = vif_fields.optional(subnet, 'ips')
        for fixed_ip in (ips.objects if ips is not None else ()):
            address = vif_fields.required(fixed_ip, 'address', port_id)
            if address.version == 4 and ipv4 is None:
                ipv4 = str(address)
            elif address.version == 6 and ipv6 is None:
                ipv6 = str(address)
    return ipv4, ipv6


def from_vif(vif, instance_info, system_name, vhostuser_mode=None):
    """Build the request for an os-vif VIF plugged into the vRouter.

    InstanceInfo.name carries the instance's display name (the Nova side
    puts it there: os-vif 5.3 has no display-name field, and the agent
    makes DNS records from it); it is sent untouched, whatever characters
    it holds.

    :param system_name: the host device: tap name, or representor netdev
    :raises: InvalidPortId, InvalidPortData, InvalidDeviceName
    """
    port_id = validate.port_id(vif_fields.required(vif, 'id', None))
    network = vif_fields.optional(vif, 'network')
    if network is None or 'id' not in network:
        raise _invalid(port_id, 'the VIF has no network id')
    address = vif_fields.optional(vif, 'address')
    if address is None:
        raise _invalid(port_id, 'the VIF has no MAC address')
    ipv4, ipv6 = _first_addresses(port_id, network)
    return build(
        port_id=port_id,
        instance_id=vif_fields.required(instance_info, 'uuid', port_id),
        vn_id=network.id,
        display_name=vif_fields.optional(instance_info, 'name') or '',
        mac_address=str(address),
        system_name=system_name,
        project_id=vif_fields.optional(instance_info, 'project_id') or '',
        ip_address=ipv4,
        ip6_address=ipv6,
        vhostuser_mode=vhostuser_mode)


def to_json(request):
    """The request as sent and stored.  Non-ASCII is \\u-escaped, so the
    bytes are ASCII whatever the display name holds.
    """
    return json.dumps(request)


def _no_address_or(value, version):
    """An address as an ipaddress object, None for "no address".

    None, "", "None" (what the classic script writes when it has no IPv6
    address) and the agent's own 0.0.0.0 / :: all mean none.  Text that
    does not parse is kept as it is: it can only equal itself.
    """
    if value is None or value in ('', 'None'):
        return None
    if not isinstance(value, str):
        return value
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return value
    if address.version != version:
        return value
    return None if address.is_unspecified else address


def _mac(value):
    return value.lower() if isinstance(value, str) else value


def _project(value):
    if value is None or value == '':
        return ''
    try:
        return validate.project_id(None, value)
    except exception.InvalidPortData:
        return value


# How each key is compared: by what it means, not by how it is spelt.
_MEANING = {
    c.KEY_IP_ADDRESS: lambda value: _no_address_or(value, 4),
    c.KEY_IP6_ADDRESS: lambda value: _no_address_or(value, 6),
    c.KEY_MAC_ADDRESS: _mac,
    c.KEY_PROJECT_ID: _project,
}


def _meaning(request, key):
    value = request.get(key)
    convert = _MEANING.get(key)
    return convert(value) if convert is not None else value


def needs_delete_first(old, new):
    """Whether re-adding new over old requires deleting the port first.

    Compared by meaning (see :func:`same_port`): a file written by the
    classic script for the same port must not cost the guest its traffic.

    :param old: the previous request (the port file), None if none, or
        anything that is not a dict for a file that does not parse
    """
    if old is None:
        return False
    if not isinstance(old, dict):
        return True
    return any(_meaning(old, key) != _meaning(new, key)
               for key in FIELDS_APPLIED_ONLY_ON_ADD)


def same_port(old, new):
    """Whether a port file (old) already describes the request (new).

    Compared by meaning: addresses parsed (no address is None, "",
    "None", 0.0.0.0 or ::), MACs in either case, project ids with or
    without dashes; who wrote it and when are ignored.  A kernel port
    (new has no vhostuser-mode) matches a file with vhostuser-mode 0,
    which the classic script writes for every port.  Then the file need
    not be written again (a host restart re-plugs every port unchanged).
    """
    if not isinstance(old, dict):
        return False
    keys = (set(old) | set(new)) - set(_INFORMATIONAL_FIELDS)
    if c.KEY_VHOSTUSER_MODE not in new and old.get(
            c.KEY_VHOSTUSER_MODE) == c.VHOSTUSER_MODE_VROUTER_SERVER:
        keys.discard(c.KEY_VHOSTUSER_MODE)
    return all(_meaning(old, key) == _meaning(new, key) for key in keys)
