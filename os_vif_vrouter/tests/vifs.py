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

"""os-vif objects as os_vif_translate gives them to the plugin."""

import uuid

from os_vif import objects
from os_vif.objects import fields as osv_fields

NETWORK = '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c'
INSTANCE = 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b'
PROJECT_HEX = '9a8b7c6d5e4f30211203f4e5d6c7b8a9'
PROJECT = '9a8b7c6d-5e4f-3021-1203-f4e5d6c7b8a9'

objects.register_all()


def new_port_id():
    return str(uuid.uuid4())


def tap_name(port_id):
    return ('tap' + port_id)[:14]


def mac_of(port_id):
    digits = port_id.replace('-', '')[:10]
    return 'fa:' + ':'.join(digits[i:i + 2] for i in range(0, 10, 2))


def network(ips=('10.0.0.5', '2001:db8::5')):
    subnets = []
    for address in ips:
        cidr = '2001:db8::/64' if ':' in address else '10.0.0.0/24'
        subnets.append(objects.subnet.Subnet(
            cidr=cidr,
            ips=objects.fixed_ip.FixedIPList(
                objects=[objects.fixed_ip.FixedIP(address=address)])))
    return objects.network.Network(
        id=NETWORK, subnets=objects.subnet.SubnetList(objects=subnets))


def _common(port_id, plugin, ips):
    return dict(id=port_id, address=mac_of(port_id), plugin=plugin,
                network=network(ips), active=False,
                has_traffic_filtering=True, preserve_on_delete=False)


def kernel(port_id=None, ips=('10.0.0.5', '2001:db8::5'), vif_name=None):
    port_id = port_id or new_port_id()
    return objects.vif.VIFGeneric(vif_name=vif_name or tap_name(port_id),
                                  **_common(port_id, 'vrouter', ips))


def dpdk(path, mode='server', port_id=None):
    port_id = port_id or new_port_id()
    return objects.vif.VIFVHostUser(
        vif_name=tap_name(port_id), mode=mode, path=path,
        **_common(port_id, 'contrail_vrouter', ('10.0.0.5',)))


def representor_profile(vf_address, name):
    return objects.vif.VIFPortProfileBase(
        datapath_offload=objects.vif.DatapathOffloadRepresentor(
            representor_name=name, representor_address=vf_address))


def direct(vf_address, port_id=None):
    port_id = port_id or new_port_id()
    return objects.vif.VIFHostDevice(
        dev_type=osv_fields.VIFHostDeviceDevType.ETHERNET,
        dev_address=vf_address,
        port_profile=representor_profile(vf_address, tap_name(port_id)),
        **_common(port_id, 'vrouter', ('10.0.0.5',)))


def virtio_forwarder(vf_address, path, port_id=None):
    port_id = port_id or new_port_id()
    return objects.vif.VIFVHostUser(
        vif_name=tap_name(port_id), mode='server', path=path,
        port_profile=representor_profile(vf_address, tap_name(port_id)),
        **_common(port_id, 'vrouter', ('10.0.0.5',)))


def instance_info(name='web-1', uuid=INSTANCE):
    return objects.instance_info.InstanceInfo(uuid=uuid, name=name,
                                              project_id=PROJECT_HEX)
