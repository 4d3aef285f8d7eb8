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

"""Legacy Nova VIF -> os-vif VIF object, for the vRouter datapaths.

=============================  =================  ============================
binding                        datapath           os-vif object (plugin)
=============================  =================  ============================
vrouter, normal                kernel             VIFGeneric (vrouter)
vrouter, direct                offload-direct     VIFHostDevice, representor
                                                  profile (vrouter)
vrouter, virtio-forwarder      offload-virtio-    VIFVHostUser, representor
                               forwarder          profile (vrouter)
vhostuser + vrouter_plug       dpdk               VIFVHostUser
                                                  (contrail_vrouter)
=============================  =================  ============================
"""

import collections.abc
import typing as ty

from os_vif.objects import fields as osv_fields
from os_vif.objects import vif as osv_vif

from os_vif_translate import binding
from os_vif_translate import datapath
from os_vif_translate import exception
from os_vif_translate import network as network_translator
from os_vif_translate import structure
from os_vif_translate import validate

# A legacy Nova VIF: a nova.network.model.VIF (a dict) or its plain dict.
LegacyVIF = ty.Mapping[str, ty.Any]


def port_id_of(vif: ty.Any) -> str:
    """Return the validated port id of a legacy VIF.

    :raises: exception.MalformedVIF, exception.InvalidPortId
    """
    structure.require_mapping('<unknown>', vif, 'the VIF')
    if 'id' not in vif:
        raise exception.MalformedVIF(port_id='<unknown>',
                                     reason="the VIF has no 'id' key")
    return validate.port_id(vif['id'])


def _details(port_id: str, vif: LegacyVIF) -> ty.Mapping[str, ty.Any]:
    return structure.get_mapping(port_id, vif, 'details', 'the VIF',
                                 default={})


def _profile(port_id: str, vif: LegacyVIF) -> ty.Mapping[str, ty.Any]:
    return structure.get_mapping(port_id, vif, 'profile', 'the VIF',
                                 default={})


def is_vrouter_vif(vif: ty.Any) -> bool:
    """Whether a legacy VIF is bound to the vRouter, without validating it.

    For routing: a VIF for which this is true belongs to the vRouter code
    paths, which then report what is wrong with it.

    :param vif: a nova.network.model.VIF or its dict form
    :returns: bool
    """
    if not isinstance(vif, collections.abc.Mapping):
        return False
    details = vif.get('details')
    if not isinstance(details, collections.abc.Mapping):
        details = {}
    return datapath.is_vrouter_binding(vif.get('type'), details)


def _datapath(port_id: str, vif: LegacyVIF) -> str:
    """The datapath of a vRouter VIF whose port id is checked."""
    vnic_type = structure.get(port_id, vif, 'vnic_type', str, 'the VIF',
                              default=binding.VNIC_TYPE_NORMAL)
    # Not None: the callers route only vRouter VIFs (is_vrouter_vif) here.
    return ty.cast(str, datapath.classify(port_id, vif['type'], vnic_type,
                                          _details(port_id, vif)))


def datapath_of(vif: ty.Any) -> ty.Optional[str]:
    """Tell which vRouter datapath a legacy VIF uses.

    :param vif: a nova.network.model.VIF or its dict form
    :returns: one of os_vif_translate.datapath.ALL, or None when the VIF is
        not for the vRouter
    :raises: exception.TranslationError subclasses for a malformed VIF or a
        vRouter VIF with an unsupported vnic_type
    """
    structure.require_mapping('<unknown>', vif, 'the VIF')
    # Any other VIF (no type, another type, a vhost-user VIF for another
    # backend) is not ours to judge: the caller falls back to its own
    # handling and errors.
    if not is_vrouter_vif(vif):
        return None
    return _datapath(port_id_of(vif), vif)


def _device_name(port_id: str, vif: LegacyVIF) -> str:
    devname = vif.get('devname')
    if devname is None:
        devname = (binding.DEVNAME_PREFIX + port_id)[:binding.NIC_NAME_LEN]
    return validate.device_name(port_id, devname)


def device_name_of(vif: ty.Any) -> str:
    """The host-side device name: 'devname', or ('tap' + id)[:14].

    Nova's Neutron API always sets 'devname' to the second form; the
    fallback keeps the name the vRouter agent expects for a Neutron port
    (Nova's generic fallback, 'nic' + id, names no device the agent knows).

    :raises: exception.MalformedVIF, exception.InvalidPortId,
        exception.InvalidDeviceName
    """
    return _device_name(port_id_of(vif), vif)


def _vif_kwargs(port_id: str, vif: LegacyVIF,
                plugin: str) -> ty.Dict[str, ty.Any]:
    """Fields every os-vif VIF object gets, as Nova's os_vif_util sets them.
    """
    return dict(
        id=port_id,
        address=validate.mac_address(
            port_id, structure.get(port_id, vif, 'address', str, 'the VIF')),
        network=network_translator.translate_network(
            port_id, structure.get_mapping(port_id, vif, 'network',
                                           'the VIF')),
        has_traffic_filtering=structure.get(
            port_id, _details(port_id, vif),
            binding.VIF_DETAILS_PORT_FILTER, bool, 'vif_details',
            default=False),
        preserve_on_delete=structure.get(
            port_id, vif, 'preserve_on_delete', bool, 'the VIF',
            default=False),
        active=structure.get(port_id, vif, 'active', bool, 'the VIF',
                             default=False),
        plugin=plugin)


def _pci_slot(port_id: str, vif: LegacyVIF, vnic_type: str) -> str:
    slot = _profile(port_id, vif).get(binding.PROFILE_PCI_SLOT)
    if slot is None or slot == '':
        raise exception.MissingPciSlot(port_id=port_id, vnic_type=vnic_type)
    return validate.pci_slot(port_id, slot)


def _vhostuser_kwargs(port_id: str,
                      vif: LegacyVIF) -> ty.Dict[str, ty.Any]:
    details = _details(port_id, vif)
    path = details.get(binding.VIF_DETAILS_VHOSTUSER_SOCKET)
    if path is None or path == '':
        raise exception.MissingVhostUserSocketPath(port_id=port_id)
    # Nova's default when the binding does not say.
    mode = details.get(binding.VIF_DETAILS_VHOSTUSER_MODE,
                       osv_fields.VIFVHostUserMode.SERVER)
    return dict(mode=validate.vhostuser_mode(port_id, mode),
                path=validate.vhostuser_socket_path(port_id, path))


def _representor_profile(port_id: str, vif: LegacyVIF, vnic_type: str,
                         device_name: str) -> ty.Any:
    """Port profile that tells the plugin which VF and which name to use.

    The plugin finds the VF's representor netdev from representor_address
    and falls back to representor_name.
    """
    return osv_vif.VIFPortProfileBase(
        datapath_offload=osv_vif.DatapathOffloadRepresentor(
            representor_name=device_name,
            representor_address=_pci_slot(port_id, vif, vnic_type)))


def _kernel(port_id: str, vif: LegacyVIF) -> ty.Any:
    return osv_vif.VIFGeneric(
        vif_name=_device_name(port_id, vif),
        **_vif_kwargs(port_id, vif, binding.PLUGIN_VROUTER))


def _dpdk(port_id: str, vif: LegacyVIF) -> ty.Any:
    return osv_vif.VIFVHostUser(
        vif_name=_device_name(port_id, vif),
        **_vhostuser_kwargs(port_id, vif),
        **_vif_kwargs(port_id, vif, binding.PLUGIN_CONTRAIL_VROUTER))


def _offload_direct(port_id: str, vif: LegacyVIF) -> ty.Any:
    profile = _representor_profile(port_id, vif, binding.VNIC_TYPE_DIRECT,
                                   _device_name(port_id, vif))
    # NOTE: VIFHostDevice has no vif_name field in os-vif 5.3; the device
    # name reaches the plugin as the representor profile's name.
    return osv_vif.VIFHostDevice(
        dev_type=osv_fields.VIFHostDeviceDevType.ETHERNET,
        dev_address=profile.datapath_offload.representor_address,
        port_profile=profile,
        **_vif_kwargs(port_id, vif, binding.PLUGIN_VROUTER))


def _offload_virtio_forwarder(port_id: str, vif: LegacyVIF) -> ty.Any:
    device_name = _device_name(port_id, vif)
    return osv_vif.VIFVHostUser(
        vif_name=device_name,
        port_profile=_representor_profile(
            port_id, vif, binding.VNIC_TYPE_VIRTIO_FORWARDER, device_name),
        **_vhostuser_kwargs(port_id, vif),
        **_vif_kwargs(port_id, vif, binding.PLUGIN_VROUTER))


# datapath -> builder of its os-vif object.
_BUILDERS: ty.Dict[str, ty.Callable[[str, LegacyVIF], ty.Any]] = {
    datapath.KERNEL: _kernel,
    datapath.DPDK: _dpdk,
    datapath.OFFLOAD_DIRECT: _offload_direct,
    datapath.OFFLOAD_VIRTIO_FORWARDER: _offload_virtio_forwarder,
}


def translate(vif: ty.Any) -> ty.Any:
    """Convert a legacy Nova VIF to an os-vif VIF object.

    The port id is checked once, first: every error after it names the
    port.

    :param vif: a nova.network.model.VIF, or the plain dict Nova stores as
        JSON in an instance's network_info
    :returns: an os_vif.osv_vif.VIFBase subclass for a vRouter binding,
        or None for any other binding (the caller falls back to its own
        handling)
    :raises: exception.TranslationError subclasses: MalformedVIF,
        InvalidPortId, InvalidNetworkId, InvalidMacAddress,
        InvalidDeviceName, UnsupportedVnicType, MissingPciSlot,
        InvalidPciSlot, MissingVhostUserSocketPath,
        InvalidVhostUserSocketPath, InvalidVhostUserMode
    """
    structure.require_mapping('<unknown>', vif, 'the VIF')
    if not is_vrouter_vif(vif):
        return None
    port_id = port_id_of(vif)
    try:
        return _BUILDERS[_datapath(port_id, vif)](port_id, vif)
    except ValueError as exc:
        # os-vif's own field checks (for instance a MAC netaddr refuses
        # after our format check): still the caller's malformed input.
        raise exception.MalformedVIF(port_id=port_id, reason=str(exc))
