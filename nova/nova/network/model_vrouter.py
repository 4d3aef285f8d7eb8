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

"""The Tungsten Fabric / OpenSDN vRouter datapaths of a Neutron port.

A port bound by the vRouter's Neutron plugin reaches the guest in one of
four ways.  This module tells which one a ``nova.network.model.VIF`` uses,
and converts it (and its instance) into the os-vif objects that the vRouter
os-vif plugin plugs.

The decision and the conversion are made by the ``os_vif_translate``
library, which ships with the vRouter os-vif plugins in the
``os-vif-vrouter`` distribution, so that Nova, the plugins and their tools
share one translation.  It is not a requirement of Nova: it is imported at
the first vRouter VIF only, so a host that never sees a vRouter port never
loads it, and a host that sees one without it gets
VRouterSupportNotInstalled, which says what to install.  Telling whether a
VIF is for the vRouter at all needs no library.  The library's typed errors
are turned into Nova exceptions here.
"""

import collections.abc
import contextlib
import importlib

from nova import exception
from nova.network import model

# The datapath of a vRouter VIF, as returned by get_datapath().  Valid
# values are exactly these four strings (the library's own values):
#
# 'kernel': kernel vRouter; vif_type 'vrouter', vnic_type 'normal'.  The
# guest gets a tap device (<interface type='ethernet'>).
DATAPATH_KERNEL = 'kernel'
# 'dpdk': DPDK vRouter; vif_type 'vhostuser' with vif_details
# 'vhostuser_vrouter_plug': true.  The guest gets a vhost-user socket
# (<interface type='vhostuser'>), QEMU as server.
DATAPATH_DPDK = 'dpdk'
# 'offload-direct': SmartNIC offload; vif_type 'vrouter', vnic_type
# 'direct'.  The VF named by profile 'pci_slot' is passed through
# (<interface type='hostdev'>); its representor is plugged into the vRouter.
DATAPATH_OFFLOAD_DIRECT = 'offload-direct'
# 'offload-virtio-forwarder': SmartNIC offload; vif_type 'vrouter',
# vnic_type 'virtio-forwarder'.  The VF is relayed to a vhost-user socket
# (<interface type='vhostuser'>); its representor is plugged into the
# vRouter.
DATAPATH_OFFLOAD_VIRTIO_FORWARDER = 'offload-virtio-forwarder'

DATAPATHS = (DATAPATH_KERNEL, DATAPATH_DPDK, DATAPATH_OFFLOAD_DIRECT,
             DATAPATH_OFFLOAD_VIRTIO_FORWARDER)

# vnic_type values a 'vrouter' binding may carry: 'normal', 'direct',
# 'virtio-forwarder'.  Any other vnic_type is refused with VRouterVIFInvalid.
VROUTER_VNIC_TYPES = (model.VNIC_TYPE_NORMAL, model.VNIC_TYPE_DIRECT,
                      model.VNIC_TYPE_VIRTIO_FORWARDER)

# Names of the os-vif plugins the vRouter VIFs are plugged by: 'vrouter'
# (kernel and offload datapaths) and 'contrail_vrouter' (DPDK).  Both are
# entry points of the os-vif-vrouter distribution.
OS_VIF_PLUGINS = ('vrouter', 'contrail_vrouter')

# The library that translates vRouter VIFs (its errors are in its
# 'exception' module).
TRANSLATOR = 'os_vif_translate'


def _import_translator(what):
    """Import the translation library and its errors, at first use.

    :param what: what is being translated, for the error message
    :returns: the os_vif_translate module and its exception module
    :raises: exception.VRouterSupportNotInstalled when it is not installed
    """
    try:
        return (importlib.import_module(TRANSLATOR),
                importlib.import_module(TRANSLATOR + '.exception'))
    except ImportError as exc:
        raise exception.VRouterSupportNotInstalled(what=what) from exc


@contextlib.contextmanager
def _nova_exceptions(errors):
    """Raise the library's typed errors as Nova exceptions."""
    try:
        yield
    except errors.MissingVhostUserSocketPath as exc:
        # Nova's own exception for this case, as for other vhost-user VIFs.
        raise exception.VifDetailsMissingVhostuserSockPath(
            vif_id=exc.kwargs['port_id']) from exc
    except errors.TranslationError as exc:
        raise exception.VRouterVIFInvalid(
            reason=exc.format_message()) from exc


def _port(vif):
    return 'vRouter port %s' % vif.get('id')


def is_vrouter_vif(vif):
    """Whether a VIF is bound to the vRouter, without validating it.

    Needs no library: every VIF of every host goes through this.

    :param vif: a nova.network.model.VIF
    :returns: True for vif_type 'vrouter', and for vif_type 'vhostuser'
        with vif_details 'vhostuser_vrouter_plug' true
    """
    if not isinstance(vif, collections.abc.Mapping):
        return False
    vif_type = vif.get('type')
    if vif_type == model.VIF_TYPE_VROUTER:
        return True
    details = vif.get('details')
    if not isinstance(details, collections.abc.Mapping):
        return False
    return (vif_type == model.VIF_TYPE_VHOSTUSER and
            bool(details.get(model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG,
                             False)))


def get_datapath(vif):
    """Tell which vRouter datapath a VIF uses.

    :param vif: a nova.network.model.VIF
    :returns: one of DATAPATHS, or None if the VIF is not for the vRouter
    :raises: exception.VRouterVIFInvalid if it is for the vRouter but
        cannot be served (unsupported vnic_type, malformed VIF);
        exception.VRouterSupportNotInstalled
    """
    if not is_vrouter_vif(vif):
        return None
    translator, errors = _import_translator(_port(vif))
    with _nova_exceptions(errors):
        return translator.datapath_of(vif)


def nova_to_osvif_vif(vif):
    """Convert a vRouter VIF to its os-vif object.

    :param vif: a nova.network.model.VIF
    :returns: os_vif.objects.vif.VIFGeneric (kernel), VIFVHostUser (dpdk,
        offload-virtio-forwarder) or VIFHostDevice (offload-direct); None
        if the VIF is not for the vRouter
    :raises: exception.VRouterVIFInvalid, or
        exception.VifDetailsMissingVhostuserSockPath for a vhost-user
        datapath without a socket path; exception.VRouterSupportNotInstalled
    """
    if not is_vrouter_vif(vif):
        return None
    translator, errors = _import_translator(_port(vif))
    with _nova_exceptions(errors):
        return translator.translate(vif)


def nova_to_osvif_instance(instance):
    """Convert an instance to the InstanceInfo the vRouter plugin takes.

    Unlike os_vif_util.nova_to_osvif_instance, InstanceInfo.name carries
    the instance's display name (the vRouter agent builds DNS records from
    it; os-vif has no other field for it), or the instance name when the
    display name is unset.

    :param instance: a nova.objects.Instance
    :returns: os_vif.objects.instance_info.InstanceInfo
    :raises: exception.VRouterSupportNotInstalled
    """
    translator, _errors = _import_translator(
        'the vRouter ports of instance %s' % instance.uuid)
    return translator.instance_info(instance)
