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

"""Every privileged operation of the plugin, and nothing else.

Each entrypoint takes strings only, does one thing, and returns a plain
value.  They run in the privsep daemon of
:data:`os_vif_vrouter.privsep.vif_plug` (CAP_NET_ADMIN, uid 0); the CLI
and the unit tests run them in-process.  Import this module whole
(``from os_vif_vrouter import privileged``) so that each escalation is
visible where it is called.

This is where trust changes: the daemon trusts no caller, so each
entrypoint checks its strings again (a port id becomes a file name, a
device name part of a /proc path) and refuses a bad one with ValueError
or TypeError, which a correct caller never sees: its values were checked
where the port entered (:mod:`os_vif_vrouter.ports`).  The helpers they
call (:mod:`os_vif_vrouter.port_file`, :func:`disable_ipv6_in`) must
already be privileged and trust their arguments.
"""

import errno
import os
import typing as ty

from oslo_log import log as logging
import pyroute2

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import exception
from os_vif_vrouter import port_file
from os_vif_vrouter import privsep

LOG = logging.getLogger(__name__)

LINK_UP = 'up'
LINK_DOWN = 'down'
LINK_STATES = (LINK_UP, LINK_DOWN)

# <linux/if.h>
_IFF_UP = 0x1

IPV6_CONF_DIR = '/proc/sys/net/ipv6/conf'


def _port(port_dir: ty.Any, port_id: ty.Any) -> ty.Tuple[str, str]:
    """(port_dir, port_id) checked for the port file helpers.

    :returns: the directory, normalised, and the port id
    :raises: ValueError
    """
    if (not isinstance(port_dir, str) or not os.path.isabs(port_dir) or
            '\x00' in port_dir):
        raise ValueError('port_dir must be an absolute path, not %r'
                         % (port_dir,))
    if not osvt_validate.is_canonical_uuid(port_id):
        raise ValueError('port_id must be a canonical lower-case UUID, '
                         'not %r' % (port_id,))
    return os.path.normpath(port_dir), port_id


def _text(content: ty.Any) -> bytes:
    if not isinstance(content, str):
        raise TypeError('content must be a str, not %s'
                        % type(content).__name__)
    return content.encode('utf-8')


def _device(device: ty.Any) -> str:
    if not osvt_validate.is_device_name(device):
        raise ValueError('%r is not a network device name' % (device,))
    return device


@privsep.vif_plug.entrypoint
def write_port_file(port_dir: str, port_id: str, content: str) -> None:
    """Atomically and durably replace the port file of port_id."""
    port_dir, port_id = _port(port_dir, port_id)
    port_file.write(port_dir, port_id, _text(content))


@privsep.vif_plug.entrypoint
def stage_port_file(port_dir: str, port_id: str, content: str) -> str:
    """Write content durably to a temporary file of port_id; its name.

    Nothing the agent reads changes until commit_port_file.
    """
    port_dir, port_id = _port(port_dir, port_id)
    return port_file.stage(port_dir, port_id, _text(content))


@privsep.vif_plug.entrypoint
def commit_port_file(port_dir: str, port_id: str, temp_name: str) -> None:
    """Rename the staged temp_name over the port file of port_id."""
    port_dir, port_id = _port(port_dir, port_id)
    port_file.commit(port_dir, port_id, temp_name)


@privsep.vif_plug.entrypoint
def discard_port_file(port_dir: str, port_id: str,
                      temp_name: str) -> None:
    """Remove the staged temp_name of port_id."""
    port_dir, port_id = _port(port_dir, port_id)
    port_file.discard(port_dir, port_id, temp_name)


@privsep.vif_plug.entrypoint
def read_port_file(port_dir: str, port_id: str) -> ty.Optional[str]:
    """The text of the port file of port_id, or None if it has none."""
    port_dir, port_id = _port(port_dir, port_id)
    return port_file.read(port_dir, port_id)


@privsep.vif_plug.entrypoint
def remove_port_file(port_dir: str, port_id: str) -> bool:
    """Remove the port file of port_id; True if there was one."""
    port_dir, port_id = _port(port_dir, port_id)
    return port_file.remove(port_dir, port_id)


@privsep.vif_plug.entrypoint
def remove_port_leftovers(port_dir: str, port_id: str) -> ty.List[str]:
    """Remove the temporary files a killed writer left for port_id; their
    names.  Call it holding the port's lock.
    """
    port_dir, port_id = _port(port_dir, port_id)
    return port_file.remove_leftovers(port_dir, port_id)


@privsep.vif_plug.entrypoint
def disable_ipv6(device: str) -> bool:
    """Write 1 to /proc/sys/net/ipv6/conf/<device>/disable_ipv6.

    A representor is a switch port: it must not get an IPv6 link-local or
    autoconfigured address when it comes up (the same reason os-vif's OVS
    plugin disables IPv6 on its bridges, bug 1302080).

    :returns: False when IPv6 is disabled on the host (nothing to do)
    :raises: NetworkDeviceNotFound, NetworkDeviceError
    """
    return disable_ipv6_in(IPV6_CONF_DIR, _device(device))


def disable_ipv6_in(conf_dir: str, device: str) -> bool:
    """:func:`disable_ipv6` in the IPv6 configuration tree conf_dir.

    Must already be privileged; device must be a checked device name.
    """
    if not os.path.isdir(conf_dir):
        return False
    path = os.path.join(conf_dir, device, 'disable_ipv6')
    try:
        with open(path, 'w') as f:
            f.write('1')
    except FileNotFoundError:
        raise exception.NetworkDeviceNotFound(device=device)
    except OSError as exc:
        raise exception.NetworkDeviceError(
            action='disable IPv6 on', device=device,
            reason=exc.strerror or str(exc))
    return True


@privsep.vif_plug.entrypoint
def set_link_state(device: str, state: str) -> bool:
    """Set device administratively up or down (like ``ip link set``).

    No subprocess: rtnetlink through pyroute2 (as os-vif does).  A device
    already in the wanted state is left alone (no write, so no privilege
    needed).

    :param state: 'up' or 'down'
    :returns: True if the state was changed
    :raises: NetworkDeviceNotFound, NetworkDeviceError
    """
    device = _device(device)
    if state not in LINK_STATES:
        raise ValueError('state must be one of %s, not %r'
                         % (', '.join(LINK_STATES), state))
    action = 'set %s' % state
    try:
        with pyroute2.IPRoute() as ipr:
            index = ipr.link_lookup(ifname=device)
            if not index:
                raise exception.NetworkDeviceNotFound(device=device)
            link = ipr.link('get', index=index[0])[0]
            if bool(link['flags'] & _IFF_UP) == (state == LINK_UP):
                return False
            ipr.link('set', index=index[0], state=state)
    except pyroute2.NetlinkError as exc:
        if exc.code == errno.ENODEV:
            raise exception.NetworkDeviceNotFound(device=device)
        raise exception.NetworkDeviceError(
            action=action, device=device,
            reason=os.strerror(exc.code) if exc.code else str(exc))
    except OSError as exc:
        raise exception.NetworkDeviceError(
            action=action, device=device, reason=exc.strerror or str(exc))
    LOG.debug('Set network device %(device)s %(state)s',
              {'device': device, 'state': state})
    return True
