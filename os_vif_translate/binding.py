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

"""Names and values of the Neutron binding that the vRouter uses.

They are the same strings as in ``nova.network.model``; this library does
not import Nova, so it keeps its own copy of the few it needs.  Also the
host's limits these values must fit, and the names of the os-vif plugins
the translated objects are for.  The values of ``vhostuser_mode`` are
os-vif's own (``os_vif.objects.fields.VIFVHostUserMode``).
"""

# vif_type values.  'vrouter' is bound by the Tungsten Fabric / OpenSDN
# controller for the kernel vRouter and for hardware offload; 'vhostuser' is
# bound for the DPDK vRouter (with VIF_DETAILS_VHOSTUSER_VROUTER_PLUG).
VIF_TYPE_VROUTER = 'vrouter'
VIF_TYPE_VHOSTUSER = 'vhostuser'

# vnic_type values the vRouter can serve; any other ('macvtap',
# 'direct-physical', 'vdpa', 'baremetal', 'smart-nic', 'remote-managed',
# 'accelerator-direct', 'accelerator-direct-physical') is refused.
VNIC_TYPE_NORMAL = 'normal'
VNIC_TYPE_DIRECT = 'direct'
VNIC_TYPE_VIRTIO_FORWARDER = 'virtio-forwarder'

# vif_details keys.
# 'port_filter': bool, the vRouter filters traffic (security groups).
VIF_DETAILS_PORT_FILTER = 'port_filter'
# 'vhostuser_mode': 'server' (QEMU creates the socket, the vRouter connects;
# what the controller binds) or 'client'.  Defaults to 'server' when absent,
# as in Nova.
VIF_DETAILS_VHOSTUSER_MODE = 'vhostuser_mode'
# 'vhostuser_socket': absolute path of the vhost-user UNIX socket, normally
# /var/run/vrouter/uvh_vif_<tap name>.
VIF_DETAILS_VHOSTUSER_SOCKET = 'vhostuser_socket'
# 'vhostuser_vrouter_plug': bool, true when a 'vhostuser' port is to be
# plugged into the DPDK vRouter (os-vif plugin 'contrail_vrouter').
VIF_DETAILS_VHOSTUSER_VROUTER_PLUG = 'vhostuser_vrouter_plug'

# binding:profile key carrying the VF's PCI address ('0000:08:00.1') for
# offloaded ports.
PROFILE_PCI_SLOT = 'pci_slot'

# os-vif plugin names.  'vrouter' serves 'vrouter' bindings; Nova names the
# DPDK plugin 'contrail_vrouter'.  Both entry points load the same plugin
# (os_vif_vrouter, whose constants take these).
PLUGIN_VROUTER = 'vrouter'
PLUGIN_CONTRAIL_VROUTER = 'contrail_vrouter'

# Host device names: Nova names a Neutron port's device ('tap' + port id)
# cut to NIC_NAME_LEN characters; Linux allows at most 15 (IFNAMSIZ - 1).
DEVNAME_PREFIX = 'tap'
NIC_NAME_LEN = 14
IFNAMSIZ = 16

# A UNIX socket path must fit in sockaddr_un.sun_path (108 bytes with the
# terminating NUL).
UNIX_PATH_MAX = 108
