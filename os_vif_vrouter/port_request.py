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

Formatting only.  A :class:`~os_vif_vrouter.port.Port` was checked where
it was made (the plugin and the CLI make it the same way, so both send
the agent, and write, the same thing); :func:`body` lays it out as the
agent's JSON object and :func:`to_json` writes that.  :func:`parse` is
the one parser of a port file, for the registrar and the audit.
"""

import datetime
import json
import typing as ty

from os_vif_vrouter import constants
from os_vif_vrouter import ports

Body = ty.Dict[str, ty.Any]


class _Unreadable(object):
    def __repr__(self) -> str:
        return 'UNREADABLE'


# What parse() gives for a port file that is not a JSON object (a file
# truncated by an old writer, say).
UNREADABLE = _Unreadable()


def body(port: ports.Port,
         now: ty.Optional[datetime.datetime] = None) -> Body:
    """The agent's JSON object of a port, keys in the classic script's order.

    No address is 0.0.0.0 and ::, as the agent writes it; a kernel port
    has no vhostuser-mode key.

    :param now: when, for 'time' (default: now, UTC)
    """
    if port.device is None:
        raise ValueError('port %s has no device yet' % port.id)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    ipv4 = constants.NO_IPV4_ADDRESS if port.ipv4 is None else port.ipv4
    ipv6 = constants.NO_IPV6_ADDRESS if port.ipv6 is None else port.ipv6
    request = {
        constants.KEY_ID: port.id,
        constants.KEY_INSTANCE_ID: port.instance_id,
        constants.KEY_IP_ADDRESS: str(ipv4),
        constants.KEY_IP6_ADDRESS: str(ipv6),
        constants.KEY_VN_ID: port.network_id,
        constants.KEY_DISPLAY_NAME: port.display_name,
        constants.KEY_PROJECT_ID: port.project_id,
        constants.KEY_MAC_ADDRESS: port.mac_address,
        constants.KEY_SYSTEM_NAME: port.device,
        constants.KEY_TYPE: port.port_type,
        constants.KEY_RX_VLAN_ID: port.rx_vlan_id,
        constants.KEY_TX_VLAN_ID: port.tx_vlan_id,
    }
    if port.vhostuser is not None:
        request[constants.KEY_VHOSTUSER_MODE] = port.vhostuser.mode
    request[constants.KEY_AUTHOR] = port.author
    request[constants.KEY_TIME] = now.isoformat()
    return request


def to_json(request: Body) -> str:
    """A request (or a port file's object) as sent and stored.  Non-ASCII
    is \\u-escaped, so the bytes are ASCII whatever the display name holds.
    """
    return json.dumps(request)


def parse(text: str) -> ty.Union[Body, _Unreadable]:
    """A port file's JSON object, or UNREADABLE when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        return UNREADABLE
    return data if isinstance(data, dict) else UNREADABLE
