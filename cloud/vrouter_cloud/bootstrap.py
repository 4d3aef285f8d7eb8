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

"""The cloud's accounts file and its resources: flavors, the guest
images, the external network of the floating IPs, and networks to try by
hand.
"""

import os

import openstack

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud.services import neutron

FLAVOR = 'vrc.small'
FLAVOR_ALT = 'vrc.alt'
IMAGE = 'vrcloud-guest'
IMAGE_ALT = 'vrcloud-guest-alt'
DEMO_NETWORK = 'vrcloud-demo'
DEMO_ROUTER = 'vrcloud-demo'
# Shared with every project, with a router to the external network.
SHARED_NETWORK = 'vrcloud-shared'
# The external network: floating IPs (the gateway translates them).
PUBLIC_NETWORK = 'vrcloud-public'


def write_clouds_yaml(layout):
    """clouds.yaml with the admin (vrcloud-admin) and demo accounts."""
    path = layout.etc('clouds.yaml')
    entries = []
    for cloud, user, project in (('vrcloud-admin', 'admin', 'admin'),
                                 ('vrcloud-demo', 'demo', 'demo')):
        entries.append(
            '  %s:\n'
            '    auth:\n'
            '      auth_url: %s\n'
            '      username: %s\n'
            '      password: %s\n'
            '      project_name: %s\n'
            '      user_domain_name: Default\n'
            '      project_domain_name: Default\n'
            '    region_name: RegionOne\n'
            '    identity_api_version: 3\n' % (
                cloud, layout.url('keystone', '/v3'), user, layout.password,
                project))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('clouds:\n' + ''.join(entries))
    return path


def connect(layout, cloud='vrcloud-admin'):
    os.environ['OS_CLIENT_CONFIG_FILE'] = layout.etc('clouds.yaml')
    return openstack.connect(cloud=cloud)


def create_resources(layout, conn):
    """Flavors, the guest images and a demo network; their ids."""
    for name, ram, disk in ((FLAVOR, 128, 1), (FLAVOR_ALT, 192, 2)):
        if conn.compute.find_flavor(name) is None:
            conn.compute.create_flavor(name=name, ram=ram, vcpus=1,
                                       disk=disk)
    kernel = conn.image.create_image(
        name='vrcloud-guest-kernel', disk_format='aki',
        container_format='aki', visibility='public',
        filename=os.path.join(layout.guest, 'vmlinuz'))
    ramdisk = conn.image.create_image(
        name='vrcloud-guest-initramfs', disk_format='ari',
        container_format='ari', visibility='public',
        filename=os.path.join(layout.guest, 'initramfs.gz'))
    images = []
    for name in (IMAGE, IMAGE_ALT):
        image = conn.image.create_image(
            name=name, disk_format='ami', container_format='ami',
            visibility='public',
            filename=os.path.join(layout.guest, 'disk.img'),
            kernel_id=kernel.id, ramdisk_id=ramdisk.id)
        images.append(image.id)
    public = conn.network.create_network(
        name=PUBLIC_NETWORK, is_router_external=True,
        provider_network_type='flat',
        provider_physical_network=neutron.PUBLIC_PHYSNET)
    conn.network.create_subnet(
        name=PUBLIC_NETWORK, network_id=public.id, ip_version=4,
        cidr=cloud_layout.FLOATING_CIDR,
        gateway_ip=cloud_layout.EXTERNAL_GATEWAY, is_dhcp_enabled=False)
    demo = conn.identity.find_project('demo')
    network = conn.network.create_network(name=DEMO_NETWORK,
                                          project_id=demo.id)
    subnet = conn.network.create_subnet(
        name=DEMO_NETWORK, network_id=network.id, ip_version=4,
        cidr=cloud_layout.DEMO_CIDR, project_id=demo.id)
    router = conn.network.create_router(
        name=DEMO_ROUTER, project_id=demo.id,
        external_gateway_info={'network_id': public.id})
    conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    shared = conn.network.create_network(name=SHARED_NETWORK, shared=True)
    subnet = conn.network.create_subnet(
        name=SHARED_NETWORK, network_id=shared.id, ip_version=4,
        cidr=cloud_layout.SHARED_CIDR)
    router = conn.network.create_router(
        name=SHARED_NETWORK, external_gateway_info={'network_id': public.id})
    conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    return {'images': images, 'network': network.id, 'public': public.id}


def make_zone(conn, zone, hosts):
    """An aggregate that is availability zone zone, with these hosts."""
    aggregate = conn.compute.create_aggregate(name=zone,
                                              availability_zone=zone)
    for host in hosts:
        conn.compute.add_host_to_aggregate(aggregate, host)
