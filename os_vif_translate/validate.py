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

"""Format checks for the values of a binding that reach the host.

Each check returns the value unchanged when it is valid and raises the
matching typed error otherwise.  They are strict on purpose: these values
become file names, device names, socket paths and JSON fields for the
vRouter agent, which refuses (or worse, mishandles) anything looser.
"""

import re
import typing as ty

from os_vif.objects import fields as osv_fields

from os_vif_translate import binding
from os_vif_translate import exception

# The vRouter agent matches only this form in its URL paths, and the plugin
# uses the port id as a file name.
_UUID_RE = re.compile(
    r'\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z')
_NIL_UUID = '00000000-0000-0000-0000-000000000000'
_MAC_RE = re.compile(r'\A[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}\Z')
_ZERO_MAC = '00:00:00:00:00:00'
# domain:bus:slot.function, as Nova and libvirt write a PCI address.
_PCI_RE = re.compile(
    r'\A[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-1][0-9a-fA-F]\.[0-7]\Z')
# The kernel's dev_valid_name(): no '/', ':', white space or NUL.
_DEVNAME_FORBIDDEN_RE = re.compile(r'[/:\s\x00]')


# Predicates, shared with the os-vif plugin (os_vif_vrouter.ports where a
# port enters it, os_vif_vrouter.privileged where trust changes), so that
# Nova's side and the plugin accept exactly the same values.

def is_canonical_uuid(value: ty.Any) -> bool:
    """True for a lower-case 8-4-4-4-12 UUID string."""
    return isinstance(value, str) and _UUID_RE.match(value) is not None


def is_mac_address(value: ty.Any) -> bool:
    """True for xx:xx:xx:xx:xx:xx, not all zeros (what the agent takes)."""
    return (isinstance(value, str) and _MAC_RE.match(value) is not None and
            value != _ZERO_MAC)


def is_pci_address(value: ty.Any) -> bool:
    """True for a PCI address such as 0000:08:00.1."""
    return isinstance(value, str) and _PCI_RE.match(value) is not None


def is_device_name(value: ty.Any) -> bool:
    """True for a name the kernel takes for a network device.

    At most IFNAMSIZ - 1 bytes, not '.' or '..', no '/', ':', white space
    or NUL.
    """
    return (isinstance(value, str) and bool(value) and
            len(value.encode('utf-8')) < binding.IFNAMSIZ and
            value not in ('.', '..') and
            not _DEVNAME_FORBIDDEN_RE.search(value))


# Checks: the value, or the typed error naming the port.  The plugin
# raises the same InvalidPortId and InvalidDeviceName.

def port_id(value: ty.Any) -> str:
    if not is_canonical_uuid(value):
        raise exception.InvalidPortId(port_id=value)
    return value


def network_id(port_id: str, value: ty.Any) -> str:
    if not is_canonical_uuid(value) or value == _NIL_UUID:
        raise exception.InvalidNetworkId(port_id=port_id, network_id=value)
    return value


def mac_address(port_id: str, value: ty.Any) -> str:
    if not is_mac_address(value):
        raise exception.InvalidMacAddress(port_id=port_id, address=value)
    return value


def pci_slot(port_id: str, value: ty.Any) -> str:
    if not is_pci_address(value):
        raise exception.InvalidPciSlot(port_id=port_id, pci_slot=value)
    return value


def device_name(port_id: str, value: ty.Any) -> str:
    if not is_device_name(value):
        raise exception.InvalidDeviceName(port_id=port_id, devname=value)
    return value


def vhostuser_socket_path(port_id: str, value: ty.Any) -> str:
    def invalid(reason: str) -> exception.InvalidVhostUserSocketPath:
        return exception.InvalidVhostUserSocketPath(
            port_id=port_id, path=value, reason=reason)

    if not isinstance(value, str):
        raise invalid('not a string')
    if not value.startswith('/'):
        raise invalid('not an absolute path')
    if '\0' in value or '\n' in value:
        raise invalid('contains a NUL or newline character')
    if value.endswith('/'):
        raise invalid('names a directory')
    if len(value.encode('utf-8')) >= binding.UNIX_PATH_MAX:
        raise invalid('longer than a UNIX socket path may be (%d bytes)'
                      % (binding.UNIX_PATH_MAX - 1))
    return value


def vhostuser_mode(port_id: str, value: ty.Any) -> str:
    if value not in osv_fields.VIFVHostUserMode.ALL:
        raise exception.InvalidVhostUserMode(
            port_id=port_id, mode=value,
            valid=', '.join(osv_fields.VIFVHostUserMode.ALL))
    return value
