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

"""Legacy VIF dicts as Nova stores them in network_info, one per binding."""

import copy

PORT_ID = 'dc065497-3c8d-4f44-8fb4-e1d33c16a536'
NETWORK_ID = 'b82c1929-051e-481d-8110-4669916c7915'
MAC = 'fa:16:3e:4c:2c:30'
PCI_SLOT = '0000:08:08.5'
SOCKET = '/var/run/vrouter/uvh_vif_tapdc065497-3c'
DEVNAME = 'tapdc065497-3c'

NETWORK = {
    'id': NETWORK_ID,
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
                     'gateway': {'address': '10.0.0.254'}, 'meta': {}}],
         'version': 4,
         'meta': {'dhcp_server': '10.0.0.2'}},
        {'cidr': 'fd00::/64',
         'dns': [],
         'gateway': {'address': 'fd00::1'},
         'ips': [{'address': 'fd00::5', 'type': 'fixed', 'version': 6,
                  'meta': {}, 'floating_ips': []}],
         'routes': [],
         'version': 6,
         'meta': {}},
    ],
    'meta': {'injected': False, 'tenant_id': 'e1b4d0d6c6e94f5ab2a3b1b0',
             'mtu': 1450, 'physical_network': None, 'tunneled': True},
}

_BASE = {
    'id': PORT_ID,
    'address': MAC,
    'network': NETWORK,
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

VHOSTUSER_DETAILS = {
    'vhostuser_mode': 'server',
    'vhostuser_socket': SOCKET,
    'vhostuser_vrouter_plug': True,
}


def kernel(**overrides):
    return _vif(overrides)


def dpdk(**overrides):
    return _vif(dict(type='vhostuser', details=dict(VHOSTUSER_DETAILS)),
                overrides)


def offload_direct(**overrides):
    return _vif(dict(vnic_type='direct', profile={'pci_slot': PCI_SLOT}),
                overrides)


def offload_virtio_forwarder(**overrides):
    return _vif(dict(vnic_type='virtio-forwarder',
                     profile={'pci_slot': PCI_SLOT},
                     details=dict(VHOSTUSER_DETAILS)),
                overrides)


def _vif(*layers):
    vif = copy.deepcopy(_BASE)
    for layer in layers:
        vif.update(copy.deepcopy(layer))
    return vif
