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

"""One vRouter port, parsed once, where it enters.

The plugin gets an os-vif VIF and its InstanceInfo, vrouter-port-control
a command line.  Each turns what it got into a frozen :class:`Port`
first (:func:`from_vif`, :func:`from_cli`), or, to remove a port, into
its :class:`Attachment` (:func:`attachment_of`).  Everything after takes
that object and trusts it: the port's lock, the registration, the
agent's request and the port file.  Only the privileged entrypoints
check their strings again (the privsep daemon trusts no caller).

Every value is checked here, before anything is sent or written: the
agent refuses a wrong JSON type with a 500, and it silently turns a
malformed UUID or address into a nil one.

=================================  ========================  ==============
os-vif VIF                         datapath                  device
=================================  ========================  ==============
VIFGeneric                         kernel                    vif_name (tap)
VIFVHostUser, no port profile      dpdk                      vif_name
VIFHostDevice + representor        offload-direct            the VF's
profile                                                      representor,
                                                             found at plug
VIFVHostUser + representor         offload-virtio-forwarder  the same
profile
=================================  ========================  ==============

The representor profile is a ``VIFPortProfileBase`` whose
``datapath_offload`` is a ``DatapathOffloadRepresentor`` naming the VF
(``representor_address``) and the device name Nova chose
(``representor_name``).

oslo.versionedobjects raises NotImplementedError ("Cannot load 'mode' in
the base class") when a field that was never set is read: every field of
an os-vif object is read through :func:`_optional`, so that a VIF
missing what its datapath needs is a typed error naming the port and the
field.
"""

import dataclasses
import ipaddress
import re
import typing as ty

from os_vif import objects
from os_vif.objects import fields as osv_fields

from os_vif_translate import datapath
from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import constants
from os_vif_vrouter import exception

# Who wrote a port file (its 'author').
AUTHOR = 'os-vif-vrouter'
CLI_AUTHOR = 'vrouter-port-control (os-vif-vrouter)'

# For messages about a VIF whose port id is unset.
UNKNOWN_PORT = '<unknown>'

NIL_UUID = '00000000-0000-0000-0000-000000000000'
ZERO_MAC = '00:00:00:00:00:00'

# The agent's vhostuser-mode, by os-vif's VIFVHostUser.mode (the mode of
# QEMU's end): QEMU as server means the vRouter connects, and back.
_AGENT_VHOSTUSER_MODES = {
    osv_fields.VIFVHostUserMode.SERVER:
        constants.VHOSTUSER_MODE_VROUTER_CLIENT,
    osv_fields.VIFVHostUserMode.CLIENT:
        constants.VHOSTUSER_MODE_VROUTER_SERVER,
}
_HEX32_RE = re.compile(r'\A[0-9a-fA-F]{32}\Z')
_ANY_CASE_UUID_RE = re.compile(
    r'\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
    r'[0-9a-fA-F]{12}\Z')
_PORT_TYPES = (constants.PORT_TYPE_VM, constants.PORT_TYPE_NAMESPACE,
               constants.PORT_TYPE_ESXI)
_REPRESENTOR_PROFILE = 'VIFPortProfileBase with a DatapathOffloadRepresentor'


@dataclasses.dataclass(frozen=True)
class Representor:
    """The VF of an offloaded port; the plug finds its representor.

    :ivar vf_address: the VF's PCI address in lower case; None when the
        VIF names no VF (an unplug can do without it: the port file
        names the device)
    :ivar profile_name: the device name Nova chose, the last resort
    """
    vf_address: ty.Optional[str]
    profile_name: ty.Optional[str]


@dataclasses.dataclass(frozen=True)
class Attachment:
    """Which port, and how it is attached to the vRouter.

    All that an unplug needs.

    :ivar datapath: one of ``os_vif_translate.datapath.ALL``
    :ivar representor: the VF, for the two offload datapaths
    """
    port_id: str
    datapath: str
    representor: ty.Optional[Representor] = None

    @property
    def offloaded(self) -> bool:
        return self.datapath in datapath.OFFLOADED


@dataclasses.dataclass(frozen=True)
class VhostUser:
    """The vhost-user socket of a DPDK port.

    :ivar mode: the agent's ``vhostuser-mode``
        (``constants.VHOSTUSER_MODE_VROUTER_*``)
    :ivar socket: the socket's path; always known when the vRouter
        creates the socket (the plug waits for it)
    """
    mode: int
    socket: ty.Optional[str]

    @property
    def vrouter_socket(self) -> ty.Optional[str]:
        """The socket the vRouter creates, which the plug waits for;
        None when QEMU creates it.
        """
        if self.mode == constants.VHOSTUSER_MODE_VROUTER_SERVER:
            return self.socket
        return None


@dataclasses.dataclass(frozen=True)
class Port:
    """A port as the agent registers it, every value checked.

    :ivar device: the agent's ``system-name``: the tap or vhost-user
        name; for an offloaded port None until the plug has found the
        representor (:meth:`on_device`)
    :ivar project_id: dashed lower case, '' for none
    :ivar ipv4, ipv6: the port's first address of each version, or None
    :ivar vhostuser: the socket of a DPDK port, None for any other
    """
    attachment: Attachment
    device: ty.Optional[str]
    instance_id: str
    network_id: str
    mac_address: str
    display_name: str = ''
    project_id: str = ''
    ipv4: ty.Optional[ipaddress.IPv4Address] = None
    ipv6: ty.Optional[ipaddress.IPv6Address] = None
    port_type: int = constants.PORT_TYPE_VM
    rx_vlan_id: int = constants.NO_VLAN
    tx_vlan_id: int = constants.NO_VLAN
    vhostuser: ty.Optional[VhostUser] = None
    author: str = AUTHOR

    @property
    def id(self) -> str:
        return self.attachment.port_id

    def on_device(self, device: str) -> 'Port':
        """This port registered with device (an offloaded port's
        representor, checked by whoever found it).
        """
        return dataclasses.replace(self, device=device)


def _invalid(port_id: str, reason: str) -> exception.InvalidPortData:
    return exception.InvalidPortData(port_id=port_id, reason=reason)


# os-vif objects (the plugin).

def _optional(obj: ty.Any, name: str) -> ty.Any:
    """A field's value, None when it is unset."""
    return getattr(obj, name) if name in obj else None


def _required(obj: ty.Any, name: str, port_id: str) -> ty.Any:
    """A field's value.

    :raises: InvalidPortData naming the port, the object and the field,
        when it is unset or None
    """
    value = _optional(obj, name)
    if value is None:
        raise _invalid(port_id,
                       'the %s has no %s' % (type(obj).__name__, name))
    return value


def port_id_of(vif: ty.Any) -> str:
    """The VIF's port id as given, for messages; '<unknown>' when unset."""
    return _optional(vif, 'id') or UNKNOWN_PORT


def _offload(port_id: str, vif: ty.Any) -> ty.Any:
    """The DatapathOffloadRepresentor of the VIF's profile, or None.

    :raises: WrongPortProfile for any other profile or offload
    """
    profile = _optional(vif, 'port_profile')
    if profile is None:
        return None
    offload = _optional(profile, 'datapath_offload')
    # Exactly the base class: a subclass (an OVS profile, say) means the
    # VIF was meant for another plugin.
    if (type(profile) is not objects.vif.VIFPortProfileBase or
            (offload is not None and not isinstance(
                offload, objects.vif.DatapathOffloadRepresentor))):
        raise exception.WrongPortProfile(
            port_id=port_id,
            profile='%s(datapath_offload=%s)' % (
                type(profile).__name__, type(offload).__name__),
            vif_type=type(vif).__name__,
            expected='none, or ' + _REPRESENTOR_PROFILE)
    return offload


def _representor(port_id: str, vif: ty.Any, offload: ty.Any) -> Representor:
    vf_address = _optional(offload, 'representor_address')
    if not vf_address and isinstance(vif, objects.vif.VIFHostDevice):
        vf_address = _optional(vif, 'dev_address')
    name = _optional(offload, 'representor_name')
    return Representor(
        vf_address=pci_address(port_id, vf_address) if vf_address else None,
        profile_name=(osvt_validate.device_name(port_id, name) if name
                      else None))


def attachment_of(vif: ty.Any) -> Attachment:
    """Which port an os-vif VIF is, and its datapath.

    The port id first: every error after it names the port.

    :raises: InvalidPortId, InvalidDeviceName (os_vif_translate's),
        InvalidPortData, UnsupportedVIF, WrongPortProfile,
        MissingPortProfile
    """
    port_id = osvt_validate.port_id(_required(vif, 'id', UNKNOWN_PORT))
    offload = _offload(port_id, vif)
    if isinstance(vif, objects.vif.VIFGeneric):
        if offload is not None:
            raise exception.WrongPortProfile(
                port_id=port_id, profile=_REPRESENTOR_PROFILE,
                vif_type=type(vif).__name__, expected='none')
        return Attachment(port_id, datapath.KERNEL)
    if isinstance(vif, objects.vif.VIFVHostUser):
        if offload is None:
            return Attachment(port_id, datapath.DPDK)
        return Attachment(port_id, datapath.OFFLOAD_VIRTIO_FORWARDER,
                          _representor(port_id, vif, offload))
    if isinstance(vif, objects.vif.VIFHostDevice):
        if offload is None:
            raise exception.MissingPortProfile(
                port_id=port_id, vif_type=type(vif).__name__)
        return Attachment(port_id, datapath.OFFLOAD_DIRECT,
                          _representor(port_id, vif, offload))
    raise exception.UnsupportedVIF(
        port_id=port_id, vif_type=type(vif).__name__,
        supported='VIFGeneric, VIFVHostUser, VIFHostDevice')


Addresses = ty.Tuple[ty.Optional[ipaddress.IPv4Address],
                     ty.Optional[ipaddress.IPv6Address]]


def _first_addresses(port_id: str, network: ty.Any) -> Addresses:
    """The first IPv4 and the first IPv6 fixed IP of an os-vif Network.

    os-vif's fields hold them as netaddr addresses: taken by value, not
    parsed again from text.
    """
    ipv4 = ipv6 = None
    subnets = _optional(network, 'subnets')
    for subnet in (subnets.objects if subnets is not None else ()):
        ips = _optional(subnet, 'ips')
        for fixed_ip in (ips.objects if ips is not None else ()):
            address = _required(fixed_ip, 'address', port_id)
            if address.version == 4 and ipv4 is None:
                ipv4 = ipaddress.IPv4Address(int(address))
            elif address.version == 6 and ipv6 is None:
                ipv6 = ipaddress.IPv6Address(int(address))
    return ipv4, ipv6


def _vif_name(port_id: str, vif: ty.Any) -> str:
    name = _optional(vif, 'vif_name')
    if not name:
        raise _invalid(port_id, 'the %s has no vif_name' % type(vif).__name__)
    return osvt_validate.device_name(port_id, name)


def _vhostuser(port_id: str, vif: ty.Any) -> VhostUser:
    mode = _AGENT_VHOSTUSER_MODES[_required(vif, 'mode', port_id)]
    socket = None
    if mode == constants.VHOSTUSER_MODE_VROUTER_SERVER:
        socket = _required(vif, 'path', port_id)
    return VhostUser(mode=mode, socket=socket)


def from_vif(vif: ty.Any, instance_info: ty.Any) -> Port:
    """The port of an os-vif VIF to plug into the vRouter.

    InstanceInfo.name carries the instance's display name (the Nova side
    puts it there: os-vif 5.3 has no display-name field, and the agent
    makes DNS records from it); it is sent untouched, whatever characters
    it holds.  The MAC and the addresses come typed from os-vif's fields.

    :raises: what :func:`attachment_of` raises; InvalidPortData for a
        value the agent would refuse or misread
    """
    attachment = attachment_of(vif)
    port_id = attachment.port_id
    device = vhostuser = None
    if attachment.datapath in (datapath.KERNEL, datapath.DPDK):
        device = _vif_name(port_id, vif)
    if attachment.datapath == datapath.DPDK:
        vhostuser = _vhostuser(port_id, vif)
    if (attachment.representor is not None and
            attachment.representor.vf_address is None):
        raise _invalid(port_id, 'the representor profile names no VF '
                                '(representor_address)')
    network = _optional(vif, 'network')
    if network is None or 'id' not in network:
        raise _invalid(port_id, 'the VIF has no network id')
    mac = _optional(vif, 'address')
    if mac is None:
        raise _invalid(port_id, 'the VIF has no MAC address')
    # os-vif's MACAddressField holds xx:xx:xx:xx:xx:xx in lower case; it
    # takes all zeros, which the agent refuses.
    if mac == ZERO_MAC:
        raise _invalid(port_id, 'MAC address %r is all zeros' % (mac,))
    ipv4, ipv6 = _first_addresses(port_id, network)
    return Port(
        attachment=attachment,
        device=device,
        instance_id=uuid(port_id, _required(instance_info, 'uuid', port_id),
                         'instance id'),
        network_id=uuid(port_id, network.id, 'network id'),
        mac_address=mac,
        display_name=_optional(instance_info, 'name') or '',
        project_id=project_id(port_id,
                              _optional(instance_info, 'project_id')),
        ipv4=ipv4,
        ipv6=ipv6,
        vhostuser=vhostuser)


# The command line (vrouter-port-control).

def _address(port_id: str, value: ty.Optional[str], version: int,
             what: str) -> ty.Any:
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        address = None
    if address is None or address.version != version:
        raise _invalid(port_id, '%s %r is not an IPv%d address'
                       % (what, value, version))
    return address


def _vlan(port_id: str, value: int, what: str) -> int:
    # bool is an int in Python but not in JSON: the agent refuses true.
    if type(value) is not int or not constants.NO_VLAN <= value <= 4095:
        raise _invalid(port_id, '%s %r is not a VLAN id (-1 for none, '
                       '0 to 4095)' % (what, value))
    return value


def from_cli(port_id: str, instance_id: ty.Optional[str],
             vn_id: ty.Optional[str], mac: ty.Optional[str],
             tap_name: ty.Optional[str],
             display_name: str = '', project: ty.Optional[str] = '',
             ip_address: ty.Optional[str] = None,
             ipv6_address: ty.Optional[str] = None,
             port_type: int = constants.PORT_TYPE_VM,
             rx_vlan_id: int = constants.NO_VLAN,
             tx_vlan_id: int = constants.NO_VLAN,
             vhostuser_mode: ty.Optional[int] = None,
             vhostuser_socket: ty.Optional[str] = None) -> Port:
    """The port of a vrouter-port-control add, from its option values.

    :param project: 32 hex digits (Keystone's form), a UUID, or ''
    :param ip_address: the IPv4 address, None for none (sent as 0.0.0.0)
    :param ipv6_address: the IPv6 address, None for none (sent as ::)
    :param vhostuser_mode: the agent's vhostuser-mode (0 or 1) of a DPDK
        port, None for a kernel port
    :param vhostuser_socket: the DPDK port's socket
    :raises: InvalidPortId, InvalidDeviceName (os_vif_translate's),
        InvalidPortData
    """
    port_id = osvt_validate.port_id(port_id)
    if type(port_type) is not int or port_type not in _PORT_TYPES:
        raise _invalid(port_id, 'port type %r is not one of %s'
                       % (port_type, _PORT_TYPES))
    vhostuser = None
    if vhostuser_mode is not None:
        if (type(vhostuser_mode) is not int or
                vhostuser_mode not in _AGENT_VHOSTUSER_MODES.values()):
            raise _invalid(port_id, 'vhost-user mode %r is not one of %s'
                           % (vhostuser_mode,
                              sorted(_AGENT_VHOSTUSER_MODES.values())))
        if not vhostuser_socket:
            raise _invalid(port_id, 'a vhost-user port needs its socket')
        vhostuser = VhostUser(mode=vhostuser_mode, socket=vhostuser_socket)
    if port_type == constants.PORT_TYPE_VM or vn_id != NIL_UUID:
        # The agent refuses the nil network only for VM ports.
        vn_id = uuid(port_id, vn_id, 'network id')
    return Port(
        attachment=Attachment(port_id, datapath.KERNEL if vhostuser is None
                              else datapath.DPDK),
        device=osvt_validate.device_name(port_id, tap_name),
        instance_id=uuid(port_id, instance_id, 'instance id'),
        network_id=NIL_UUID if vn_id is None else vn_id,
        mac_address=mac_address(port_id, mac),
        display_name=display_name,
        project_id=project_id(port_id, project),
        ipv4=_address(port_id, ip_address, 4, 'IPv4 address'),
        ipv6=_address(port_id, ipv6_address, 6, 'IPv6 address'),
        port_type=port_type,
        rx_vlan_id=_vlan(port_id, rx_vlan_id, 'rx VLAN id'),
        tx_vlan_id=_vlan(port_id, tx_vlan_id, 'tx VLAN id'),
        vhostuser=vhostuser,
        author=CLI_AUTHOR)


# Checks of one value: the value (normalised where said), or the typed
# error naming the port.  The formats are the translation library's: what
# Nova's side accepts, the plugin accepts, and nothing more.

def uuid(port_id: str, value: ty.Any, what: str) -> str:
    """A canonical lower-case UUID other than the nil UUID."""
    if not osvt_validate.is_canonical_uuid(value) or value == NIL_UUID:
        raise _invalid(port_id, '%s %r is not a canonical lower-case UUID '
                       'other than the nil UUID' % (what, value))
    return value


def dashed_project_id(value: ty.Any) -> ty.Optional[str]:
    """A project id in the agent's form (dashed, lower case; '' for none
    or None), None when it is neither 32 hex digits nor a UUID.

    Keystone gives project ids as 32 hex digits.
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
    return None


def project_id(port_id: str, value: ty.Any) -> str:
    """A project id for 'vm-project-id' (:func:`dashed_project_id`)."""
    dashed = dashed_project_id(value)
    if dashed is None:
        raise _invalid(port_id, 'project id %r is neither 32 hex digits '
                       'nor a UUID' % (value,))
    return dashed


def mac_address(port_id: str, value: ty.Any) -> str:
    """xx:xx:xx:xx:xx:xx, not all zeros (what the agent accepts)."""
    if not osvt_validate.is_mac_address(value):
        raise _invalid(port_id, 'MAC address %r is not xx:xx:xx:xx:xx:xx '
                       'or is all zeros' % (value,))
    return value


def pci_address(port_id: str, value: ty.Any) -> str:
    """A PCI address such as 0000:08:00.1, normalised to lower case."""
    if not osvt_validate.is_pci_address(value):
        raise _invalid(port_id, '%r is not a PCI address such as '
                       '0000:08:00.1' % (value,))
    return value.lower()
