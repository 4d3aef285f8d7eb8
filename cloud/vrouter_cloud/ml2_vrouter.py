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

"""The controller's Neutron side, as far as Nova can tell: port bindings.

An ML2 mechanism driver (entry point ``vrouter_test`` in
``neutron.ml2.mechanism_drivers``) that binds ports the way the Tungsten
Fabric / OpenSDN controller does (``doc/source/admin/bindings.rst``):

=================  =========================  ==========  ==================
vnic_type          host / network             vif_type    vif_details
=================  =========================  ==========  ==================
normal             kernel vRouter host        vrouter     port_filter
normal             DPDK vRouter host          vhostuser   vhost-user server
                                                          socket, vrouter plug
direct             VLAN provider segment      hw_veb      port_filter, vlan
direct             other segments             vrouter     port_filter
virtio-forwarder   other segments             vrouter     vhost-user details
=================  =========================  ==========  ==================

A host is a DPDK host when ``[vrouter_test] dpdk_hosts`` names it.  Other
vnic types are not bound (the port's binding fails, as at the controller).
It needs no agent and sends no vif-plugged events.

For comparison only (the boot-time benchmark): a port whose
``binding:profile`` (admin only) holds ``{"vrouter_test_vif_type": "tap"}``
is bound ``tap``, Nova's generic tap path, which no vRouter plugs.
"""

from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api
from oslo_config import cfg
from oslo_log import log as logging

from vrouter_cloud import layout as cloud_layout

LOG = logging.getLogger(__name__)

VIF_TYPE_VROUTER = 'vrouter'
# binding:profile key of the benchmark's comparison ports.
PROFILE_VIF_TYPE = 'vrouter_test_vif_type'
VHOSTUSER_VROUTER_PLUG = 'vhostuser_vrouter_plug'

OPTS = [
    cfg.ListOpt('dpdk_hosts', default=[],
                help='Hosts whose vRouter runs in DPDK mode: their normal '
                     'ports are bound vhostuser.'),
]
cfg.CONF.register_opts(OPTS, 'vrouter_test')


def vhostuser_socket(port_id):
    """The socket a DPDK vRouter serves for a port (QEMU connects)."""
    return cloud_layout.vhostuser_socket(('tap' + port_id)[:14])


def binding_for(vnic_type, dpdk_host, segment, port_id):
    """(vif_type, vif_details) of a port, or None if not ours to bind.

    :param vnic_type: the port's binding:vnic_type
    :param dpdk_host: whether the port's host runs a DPDK vRouter
    :param segment: the ML2 segment dict the binding would use
    :param port_id: the port's id
    """
    vhostuser = {
        portbindings.VHOST_USER_MODE: portbindings.VHOST_USER_MODE_SERVER,
        portbindings.VHOST_USER_SOCKET: vhostuser_socket(port_id),
    }
    if vnic_type == portbindings.VNIC_NORMAL:
        if dpdk_host:
            details = dict(vhostuser)
            details[VHOSTUSER_VROUTER_PLUG] = True
            return portbindings.VIF_TYPE_VHOST_USER, details
        return VIF_TYPE_VROUTER, {portbindings.CAP_PORT_FILTER: True}
    if vnic_type == portbindings.VNIC_DIRECT:
        if (segment.get(api.NETWORK_TYPE) == constants.TYPE_VLAN and
                segment.get(api.SEGMENTATION_ID)):
            return portbindings.VIF_TYPE_HW_VEB, {
                portbindings.CAP_PORT_FILTER: True,
                portbindings.VIF_DETAILS_VLAN: str(
                    segment[api.SEGMENTATION_ID])}
        return VIF_TYPE_VROUTER, {portbindings.CAP_PORT_FILTER: True}
    if vnic_type == portbindings.VNIC_VIRTIO_FORWARDER:
        return VIF_TYPE_VROUTER, vhostuser
    return None


class VRouterTestMechanismDriver(api.MechanismDriver):
    """Binds ports as the Tungsten Fabric controller does."""

    def initialize(self):
        LOG.info('vRouter test mechanism driver: DPDK hosts %s',
                 cfg.CONF.vrouter_test.dpdk_hosts)

    def bind_port(self, context):
        port = context.current
        vnic_type = port.get(portbindings.VNIC_TYPE,
                             portbindings.VNIC_NORMAL)
        dpdk_host = context.host in cfg.CONF.vrouter_test.dpdk_hosts
        profile = port.get(portbindings.PROFILE) or {}
        for segment in context.segments_to_bind:
            if profile.get(PROFILE_VIF_TYPE) == portbindings.VIF_TYPE_TAP:
                binding = (portbindings.VIF_TYPE_TAP,
                           {portbindings.CAP_PORT_FILTER: True})
            else:
                binding = binding_for(vnic_type, dpdk_host, segment,
                                      port['id'])
            if binding is None:
                LOG.warning('Port %s: vnic_type %s is not bound by the '
                            'vRouter', port['id'], vnic_type)
                return
            vif_type, vif_details = binding
            context.set_binding(segment[api.ID], vif_type, vif_details,
                                status=constants.PORT_STATUS_ACTIVE)
            LOG.debug('Port %s bound %s %s on host %s', port['id'],
                      vif_type, vif_details, context.host)
            return
