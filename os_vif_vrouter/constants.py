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

"""Names and fixed values shared by the plugin, its CLI and its tests.

The values of the Neutron binding are os_vif_translate.binding's, and the
vhost-user modes of os-vif's objects are os-vif's own
(``os_vif.objects.fields.VIFVHostUserMode``).
"""

from os_vif_translate import binding

# os-vif plugin names (entry points in the os_vif namespace), the ones the
# translation library puts in VIF.plugin.  Both load VRouterPlugin:
# 'vrouter' is what Nova uses for the kernel datapath and offload,
# 'contrail_vrouter' for the DPDK datapath.
PLUGIN_VROUTER = binding.PLUGIN_VROUTER
PLUGIN_CONTRAIL_VROUTER = binding.PLUGIN_CONTRAIL_VROUTER
PLUGIN_NAMES = (PLUGIN_VROUTER, PLUGIN_CONTRAIL_VROUTER)

# Config groups: one for both plugin names, so the agent is configured
# once (os-vif's default would be one group per name).
CONFIG_GROUP = 'os_vif_vrouter'
PRIVSEP_CONFIG_GROUP = 'os_vif_vrouter_privileged'

DEFAULT_AGENT_HOST = '127.0.0.1'
DEFAULT_AGENT_PORT = 9091
DEFAULT_PORT_DIR = '/var/lib/contrail/ports'
DEFAULT_REPRESENTOR_MAP = '/sys/module/nfp_vrouter/control/fallback_map'
DEFAULT_SYSFS_ROOT = '/sys'
DEFAULT_DPDK_NETLINK_SOCKET = '/var/run/vrouter/dpdk_netlink'
# vrouter-port-audit --repair leaves files younger than this, seconds.
DEFAULT_REPAIR_GRACE_PERIOD = 3600

# Waits of the classic vrouter-port-control script, in seconds: for the
# agent's port to open (vhost-user), and for a socket file to appear.
CLASSIC_AGENT_WAIT = 120.0
CLASSIC_SOCKET_WAIT = 15.0

# Port-add JSON keys.
KEY_ID = 'id'
KEY_INSTANCE_ID = 'instance-id'
KEY_VN_ID = 'vn-id'
KEY_PROJECT_ID = 'vm-project-id'
KEY_DISPLAY_NAME = 'display-name'
KEY_IP_ADDRESS = 'ip-address'
KEY_IP6_ADDRESS = 'ip6-address'
KEY_MAC_ADDRESS = 'mac-address'
KEY_SYSTEM_NAME = 'system-name'
KEY_TYPE = 'type'
KEY_RX_VLAN_ID = 'rx-vlan-id'
KEY_TX_VLAN_ID = 'tx-vlan-id'
KEY_VHOSTUSER_MODE = 'vhostuser-mode'
KEY_LINK_STATE = 'link-state'
KEY_AUTHOR = 'author'
KEY_TIME = 'time'

# Values of 'type'.
PORT_TYPE_VM = 0
PORT_TYPE_NAMESPACE = 1
PORT_TYPE_ESXI = 2

NO_VLAN = -1

# What the agent itself writes for "no address": 0.0.0.0 and ::.
NO_IPV4_ADDRESS = '0.0.0.0'
NO_IPV6_ADDRESS = '::'

# Values of the agent's 'vhostuser-mode' (os-vif's VIFVHostUser.mode is the
# mode of QEMU's end, the other way round).
# 0: the vRouter listens on the socket, QEMU connects (os-vif mode 'client').
VHOSTUSER_MODE_VROUTER_SERVER = 0
# 1: QEMU listens, the vRouter connects (os-vif mode 'server').
VHOSTUSER_MODE_VROUTER_CLIENT = 1
