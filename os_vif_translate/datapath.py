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

"""Which vRouter datapath a Neutron binding asks for.

One table decides it for the translator here and for Nova's libvirt driver
(through ``nova.network.model_vrouter``), so that the two cannot disagree.
"""

import typing as ty

from os_vif_translate import binding
from os_vif_translate import exception

# The four datapaths.  Values are stable strings, safe to log and compare.
# 'kernel': kernel vRouter, the guest gets a tap device.
KERNEL = 'kernel'
# 'dpdk': DPDK vRouter, the guest gets a vhost-user socket (QEMU as server).
DPDK = 'dpdk'
# 'offload-direct': SR-IOV VF passed through; its representor is plugged
# into the vRouter.
OFFLOAD_DIRECT = 'offload-direct'
# 'offload-virtio-forwarder': SR-IOV VF relayed to a vhost-user socket by
# virtio-forwarder; its representor is plugged into the vRouter.
OFFLOAD_VIRTIO_FORWARDER = 'offload-virtio-forwarder'

ALL = (KERNEL, DPDK, OFFLOAD_DIRECT, OFFLOAD_VIRTIO_FORWARDER)

# vnic_type of a 'vrouter' binding -> datapath.
VROUTER_VNIC_TYPES = {
    binding.VNIC_TYPE_NORMAL: KERNEL,
    binding.VNIC_TYPE_DIRECT: OFFLOAD_DIRECT,
    binding.VNIC_TYPE_VIRTIO_FORWARDER: OFFLOAD_VIRTIO_FORWARDER,
}

# Datapaths whose guest side is a VF, identified by profile.pci_slot.
OFFLOADED = (OFFLOAD_DIRECT, OFFLOAD_VIRTIO_FORWARDER)
# Datapaths whose guest side is a vhost-user socket.
VHOSTUSER = (DPDK, OFFLOAD_VIRTIO_FORWARDER)


def is_vrouter_binding(vif_type: ty.Any,
                       details: ty.Mapping[str, ty.Any]) -> bool:
    """Whether a binding is for the vRouter, valid or not.

    :param vif_type: the binding's vif_type
    :param details: the binding's vif_details mapping
    :returns: True for vif_type 'vrouter', and for 'vhostuser' with
        vif_details 'vhostuser_vrouter_plug' true
    """
    if vif_type == binding.VIF_TYPE_VROUTER:
        return True
    return (vif_type == binding.VIF_TYPE_VHOSTUSER and
            bool(details.get(binding.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG,
                             False)))


def classify(port_id: str, vif_type: ty.Any, vnic_type: ty.Any,
             details: ty.Mapping[str, ty.Any]) -> ty.Optional[str]:
    """Tell which vRouter datapath a binding uses.

    :param port_id: the Neutron port id, for error messages
    :param vif_type: the binding's vif_type
    :param vnic_type: the binding's vnic_type (None means 'normal')
    :param details: the binding's vif_details mapping
    :returns: one of :data:`ALL`, or None when the binding is not for the
        vRouter (the caller falls back to its other VIF types)
    :raises: exception.UnsupportedVnicType for a 'vrouter' binding with a
        vnic_type the vRouter cannot serve
    """
    if not is_vrouter_binding(vif_type, details):
        return None
    if vif_type == binding.VIF_TYPE_VHOSTUSER:
        return DPDK
    vnic_type = vnic_type or binding.VNIC_TYPE_NORMAL
    try:
        return VROUTER_VNIC_TYPES[vnic_type]
    except (KeyError, TypeError):
        raise exception.UnsupportedVnicType(
            port_id=port_id, vnic_type=vnic_type,
            supported=', '.join(sorted(VROUTER_VNIC_TYPES)))
