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

"""Checks for the values that become file names, device names and JSON.

Each check returns the value (normalised where said) when it is valid and
raises the matching typed error otherwise.  They are strict on purpose:
a port id becomes a file name in the agent's directory, a device name
becomes part of a /proc path, and the agent silently turns a malformed
UUID into the nil UUID instead of refusing it.
"""

import os
import re

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import exception

_HEX32_RE = re.compile(r'\A[0-9a-fA-F]{32}\Z')
_ANY_CASE_UUID_RE = re.compile(
    r'\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
    r'[0-9a-fA-F]{12}\Z')
NIL_UUID = '00000000-0000-0000-0000-000000000000'

# The formats are the translation library's: what Nova's side accepts,
# the plugin accepts, and nothing more.
is_canonical_uuid = osvt_validate.is_canonical_uuid
is_device_name = osvt_validate.is_device_name


def port_id(value):
    """A port id: a canonical lower-case UUID (it becomes a file name)."""
    if not is_canonical_uuid(value):
        raise exception.InvalidPortId(port_id=value)
    return value


def uuid(port, value, what):
    """A canonical lower-case UUID other than the nil UUID."""
    if not is_canonical_uuid(value) or value == NIL_UUID:
        raise exception.InvalidPortData(
            port_id=port,
            reason='%s %r is not a canonical lower-case UUID other than the '
                   'nil UUID' % (what, value))
    return value


def project_id(port, value):
    """A project id for 'vm-project-id', in dashed lower-case form.

    Keystone gives project ids as 32 hex digits; the agent wants the
    dashed form, or "" when there is none.
    """
    if value is None or value == '':
        return ''
    if isinstance(value, str):
        if _HEX32_RE.match(value):
            value = value.lower()
            return '-'.join((value[:8], value[8:12], value[12:16],
                             value[16:20], value[20:]))
        if _ANY_CASE_UUID_RE.match(value):
            return value.lower()
    raise exception.InvalidPortData(
        port_id=port,
        reason='project id %r is neither 32 hex digits nor a UUID' % (value,))


def mac_address(port, value):
    """xx:xx:xx:xx:xx:xx, not all zeros (what the agent accepts)."""
    if not osvt_validate.is_mac_address(value):
        raise exception.InvalidPortData(
            port_id=port,
            reason='MAC address %r is not xx:xx:xx:xx:xx:xx or is all '
                   'zeros' % (value,))
    return value


def device_name(value):
    """A Linux network interface name."""
    if not is_device_name(value):
        raise exception.InvalidDeviceName(name=value)
    return value


def pci_address(port, value):
    """A PCI address such as 0000:08:00.1, normalised to lower case."""
    if not osvt_validate.is_pci_address(value):
        raise exception.InvalidPortData(
            port_id=port,
            reason='%r is not a PCI address such as 0000:08:00.1' % (value,))
    return value.lower()


def port_directory(value):
    """An absolute, normalised directory path for the port files."""
    if not isinstance(value, str) or not value:
        raise exception.InvalidPortDirectory(path=value,
                                             reason='not a path')
    if not os.path.isabs(value):
        raise exception.InvalidPortDirectory(path=value,
                                             reason='not an absolute path')
    if '\x00' in value:
        raise exception.InvalidPortDirectory(path=value,
                                             reason='contains a NUL')
    return os.path.normpath(value)
