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

"""os-vif objects as os_vif_translate gives them to the plugin.

Each is the translation of a legacy VIF of the translation library's
shared fixtures (os_vif_translate.tests.unit.fixtures_vif), with the port
id, MAC, device, addresses, socket or VF a test asks for: what the plugin
gets is what the translator makes, never a copy of it.
"""

import copy
import uuid

import os_vif_translate
from os_vif_translate.tests.unit import fixtures_vif

NETWORK = fixtures_vif.NETWORK_ID
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
PROJECT_HEX = '9a8b7c6d5e4f30211203f4e5d6c7b8a9'
PROJECT = '9a8b7c6d-5e4f-3021-1203-f4e5d6c7b8a9'

DEFAULT_IPS = ('10.0.0.5', '2001:db8::5')


def new_port_id():
    return str(uuid.uuid4())


def tap_name(port_id):
    return ('tap' + port_id)[:14]


def mac_of(port_id):
    digits = port_id.replace('-', '')[:10]
    return 'fa:' + ':'.join(digits[i:i + 2] for i in range(0, 10, 2))


def _legacy_network(ips):
    """The fixtures' network, with one subnet per address."""
    subnets = [{'cidr': '2001:db8::/64' if ':' in address else '10.0.0.0/24',
                'ips': [{'address': address}]} for address in ips]
    return dict(copy.deepcopy(fixtures_vif.NETWORK), subnets=subnets)


def _translated(fixture, port_id, ips, devname=None, **overrides):
    port_id = port_id or new_port_id()
    return os_vif_translate.translate(fixture(
        id=port_id, address=mac_of(port_id),
        devname=devname or tap_name(port_id),
        network=_legacy_network(ips), **overrides))


def _vhostuser_details(path, mode):
    return dict(fixtures_vif.VHOSTUSER_DETAILS, vhostuser_socket=path,
                vhostuser_mode=mode)


def network(ips=DEFAULT_IPS):
    return kernel(ips=ips).network


def kernel(port_id=None, ips=DEFAULT_IPS, vif_name=None):
    return _translated(fixtures_vif.kernel, port_id, ips, devname=vif_name)


def dpdk(path, mode='server', port_id=None):
    return _translated(fixtures_vif.dpdk, port_id, ('10.0.0.5',),
                       details=_vhostuser_details(path, mode))


def direct(vf_address, port_id=None, representor_name=None):
    return _translated(fixtures_vif.offload_direct, port_id, ('10.0.0.5',),
                       devname=representor_name,
                       profile={'pci_slot': vf_address})


def representor_profile(vf_address, name):
    return direct(vf_address, representor_name=name).port_profile


def virtio_forwarder(vf_address, path, port_id=None):
    return _translated(fixtures_vif.offload_virtio_forwarder, port_id,
                       ('10.0.0.5',), profile={'pci_slot': vf_address},
                       details=_vhostuser_details(path, 'server'))


def instance_info(name='web-1', uuid=INSTANCE):
    return os_vif_translate.instance_info({
        'uuid': uuid, 'display_name': name, 'name': 'instance-0000002a',
        'project_id': PROJECT_HEX})
