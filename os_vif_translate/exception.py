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

"""Typed errors raised while translating a legacy Nova VIF.

Every error names the port it is about (``port_id``), so that the message
Nova logs and shows in the instance fault is enough to find the binding that
was wrong.  They subclass os-vif's ``ExceptionBase``, whose ``msg_fmt`` is
formatted with the keyword arguments given at the raise site.
"""

from os_vif import exception as osv_exception


class TranslationError(osv_exception.ExceptionBase):
    """Base class of every error this library raises."""
    msg_fmt = 'Cannot translate VIF %(port_id)s: %(reason)s'


class MalformedVIF(TranslationError):
    msg_fmt = ('Malformed VIF %(port_id)s: %(reason)s')


class InvalidPortId(TranslationError):
    msg_fmt = ('Invalid port id %(port_id)r: a port id must be a canonical '
               'lower-case UUID (8-4-4-4-12 hex digits)')


class InvalidNetworkId(TranslationError):
    msg_fmt = ('VIF %(port_id)s has an invalid network id %(network_id)r: '
               'it must be a canonical lower-case UUID other than the nil '
               'UUID')


class InvalidMacAddress(TranslationError):
    msg_fmt = ('VIF %(port_id)s has an invalid MAC address %(address)r: '
               'expected xx:xx:xx:xx:xx:xx, not all zeros')


class InvalidDeviceName(TranslationError):
    msg_fmt = ('VIF %(port_id)s has an invalid device name %(devname)r: '
               'a Linux interface name is 1 to 15 characters without '
               '"/", ":" or white space')


class UnsupportedVnicType(TranslationError):
    msg_fmt = ('VIF %(port_id)s has vnic_type %(vnic_type)r, which the '
               'vRouter does not support (supported: %(supported)s)')


class MissingPciSlot(TranslationError):
    msg_fmt = ('VIF %(port_id)s with vnic_type %(vnic_type)s has no '
               'profile.pci_slot: the VF to pass through is unknown')


class InvalidPciSlot(TranslationError):
    msg_fmt = ('VIF %(port_id)s has an invalid profile.pci_slot '
               '%(pci_slot)r: expected a PCI address such as 0000:08:00.1')


class MissingVhostUserSocketPath(TranslationError):
    msg_fmt = ('VIF %(port_id)s has no vif_details.vhostuser_socket: the '
               'vhost-user socket path is unknown')


class InvalidVhostUserSocketPath(TranslationError):
    msg_fmt = ('VIF %(port_id)s has an invalid vhost-user socket path '
               '%(path)r: %(reason)s')


class InvalidVhostUserMode(TranslationError):
    msg_fmt = ('VIF %(port_id)s has an invalid vif_details.vhostuser_mode '
               '%(mode)r: expected one of %(valid)s')
