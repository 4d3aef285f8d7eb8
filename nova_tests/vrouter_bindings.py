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

"""Legacy VIFs (as Nova stores them in network_info) for every vRouter
binding upstream Nova 34 handles, with the variants that change the result.

Shared by tools/record-upstream-os-vif (which records what unpatched Nova's
os_vif_util makes of them) and the tests in this directory.
"""

import copy

PORT_ID = 'dc065497-3c8d-4f44-8fb4-e1d33c16a536'
DEVNAME = 'tapdc065497-3c'
SOCKET = '/var/run/vrouter/uvh_vif_tapdc065497-3c'
PCI_SLOT = '0000:0a:00.1'

_NETWORK = {
    'id': 'b82c1929-051e-481d-8110-4669916c7915',
    'bridge': None,
    'label': 'tenant-net',
    'subnets': [
        {'cidr': '10.0.0.0/24',
         'dns': [{'address': '10.0.0.2', 'type': 'dns', 'version': 4,
                  'meta': {}}],
         'gateway': {'address': '10.0.0.1', 'type': 'gateway',
                     'version': 4, 'meta': {}},
         'ips': [{'address': '10.0.0.5', 'type': 'fixed', 'version': 4,
                  'meta': {},
                  'floating_ips': [{'address': '192.0.2.10',
                                    'type': 'floating', 'version': 4,
                                    'meta': {}}]}],
         'routes': [{'cidr': '192.168.0.0/16', 'interface': None,
                     'gateway': {'address': '10.0.0.254', 'type': 'gateway',
                                 'version': 4, 'meta': {}},
                     'meta': {}}],
         'version': 4,
         'meta': {'dhcp_server': '10.0.0.2'}},
        {'cidr': 'fd00::/64', 'dns': [],
         'gateway': {'address': 'fd00::1', 'type': 'gateway', 'version': 6,
                     'meta': {}},
         'ips': [{'address': 'fd00::5', 'type': 'fixed', 'version': 6,
                  'meta': {}, 'floating_ips': []}],
         'routes': [], 'version': 6, 'meta': {}},
    ],
    'meta': {'injected': False,
             'tenant_id': '2f37d7f6e51a4a1f8b6eb0917ffc8390',
             'mtu': 1450, 'physical_network': None, 'tunneled': True},
}

_VIF = {
    'id': PORT_ID,
    'address': 'fa:16:3e:4c:2c:30',
    'network': _NETWORK,
    'type': 'vrouter',
    'details': {'port_filter': True},
    'devname': DEVNAME,
    'ovs_interfaceid': None,
    'qbh_params': None,
    'qbg_params': None,
    'active': True,
    'vnic_type': 'normal',
    'profile': {},
    'preserve_on_delete': False,
    'delegate_create': False,
    'meta': {},
}

_VHOSTUSER_DETAILS = {'vhostuser_mode': 'server',
                      'vhostuser_socket': SOCKET,
                      'vhostuser_vrouter_plug': True}


def _binding(**changes):
    vif = copy.deepcopy(_VIF)
    for key, value in changes.items():
        vif[key] = copy.deepcopy(value)
    return vif


def _without_mtu(vif):
    vif['network']['meta'].pop('mtu')
    return vif


def _without_devname(vif):
    vif['devname'] = None
    return vif


KERNEL = _binding()
DPDK = _binding(type='vhostuser', details=_VHOSTUSER_DETAILS)
OFFLOAD_DIRECT = _binding(vnic_type='direct', profile={'pci_slot': PCI_SLOT})
OFFLOAD_VIRTIO_FORWARDER = _binding(
    vnic_type='virtio-forwarder', profile={'pci_slot': PCI_SLOT},
    details=_VHOSTUSER_DETAILS)

# name -> legacy VIF dict
BINDINGS = {
    'kernel': KERNEL,
    'kernel_no_mtu': _without_mtu(copy.deepcopy(KERNEL)),
    'kernel_no_filtering_inactive': _binding(details={}, active=False),
    'kernel_no_subnets': _binding(network=dict(_NETWORK, subnets=[])),
    'kernel_no_devname': _without_devname(copy.deepcopy(KERNEL)),
    'dpdk': DPDK,
    'dpdk_client': _binding(type='vhostuser', details=dict(
        _VHOSTUSER_DETAILS, vhostuser_mode='client')),
    'dpdk_mode_unset': _binding(type='vhostuser', details={
        'vhostuser_socket': SOCKET, 'vhostuser_vrouter_plug': True}),
    'dpdk_no_mtu': _without_mtu(copy.deepcopy(DPDK)),
    'dpdk_no_devname': _without_devname(copy.deepcopy(DPDK)),
    'offload_direct': OFFLOAD_DIRECT,
    'offload_direct_no_devname': _without_devname(
        copy.deepcopy(OFFLOAD_DIRECT)),
    'offload_virtio_forwarder': OFFLOAD_VIRTIO_FORWARDER,
    'offload_virtio_forwarder_no_devname': _without_devname(
        copy.deepcopy(OFFLOAD_VIRTIO_FORWARDER)),
}

# Bindings whose translation differs from upstream Nova 34 on purpose.
# Without a devname (Nova's Neutron API always sets one), upstream names
# the device 'nic' + port id, a name no vRouter agent or Neutron knows; we
# use 'tap' + port id, the name Nova gives every Neutron port.
DEVNAME_FALLBACK_DIFFERS = {
    name for name in BINDINGS if name.endswith('_no_devname')}
UPSTREAM_FALLBACK_DEVNAME = ('nic' + PORT_ID)[:14]
OUR_FALLBACK_DEVNAME = ('tap' + PORT_ID)[:14]

# The instance the recorded InstanceInfo was made from.
INSTANCE = {
    'uuid': 'd5b1090c-9e00-4fa4-9504-4b1494857970',
    'id': 42,
    'display_name': 'web "front" -- 1',
    'project_id': '2f37d7f6e51a4a1f8b6eb0917ffc8390',
}
