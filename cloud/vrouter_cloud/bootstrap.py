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

"""Database schemas, Keystone's accounts and catalog, and the cloud's
resources (flavors, guest images, a network to try by hand).
"""

import os
import subprocess

import openstack

from vrouter_cloud import config
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import procs

FLAVOR = 'vrc.small'
FLAVOR_ALT = 'vrc.alt'
IMAGE = 'vrcloud-guest'
IMAGE_ALT = 'vrcloud-guest-alt'
DEMO_NETWORK = 'vrcloud-demo'
# Shared with every project: tempest's servers boot on it, and its SSH
# validation reaches them there.
SHARED_NETWORK = 'vrcloud-shared'


def _manage(layout, name, argv):
    """Run a management command; its log is log/<name>.log."""
    with open(layout.log(name), 'ab') as log:
        result = subprocess.run([layout.bin(argv[0])] + argv[1:],
                                stdout=log, stderr=subprocess.STDOUT,
                                check=False)
    if result.returncode != 0:
        raise procs.ServiceFailed('%s failed (see %s)' % (
            ' '.join(argv), layout.log(name)))


def _keystone_sync(layout):
    conf = ['--config-file', layout.etc('keystone', 'keystone.conf')]
    _manage(layout, 'sync-keystone', ['keystone-manage'] + conf + ['db_sync'])
    for what in ('fernet_setup', 'credential_setup'):
        _manage(layout, 'sync-keystone', ['keystone-manage'] + conf + [
            what, '--keystone-user', 'root', '--keystone-group', 'root'])
    _manage(layout, 'sync-keystone', ['keystone-manage'] + conf + [
        'bootstrap', '--bootstrap-password', layout.password,
        '--bootstrap-admin-url', layout.url('keystone', '/v3'),
        '--bootstrap-internal-url', layout.url('keystone', '/v3'),
        '--bootstrap-public-url', layout.url('keystone', '/v3'),
        '--bootstrap-region-id', 'RegionOne'])


def _nova_sync(layout):
    conf = ['--config-file', layout.etc('nova', 'nova.conf')]
    manage = ['nova-manage'] + conf
    _manage(layout, 'sync-nova', manage + ['api_db', 'sync'])
    _manage(layout, 'sync-nova', manage + [
        'cell_v2', 'map_cell0', '--database_connection',
        layout.database_url('nova_cell0')])
    _manage(layout, 'sync-nova', manage + [
        'cell_v2', 'create_cell', '--name', 'cell1', '--verbose'])
    _manage(layout, 'sync-nova', manage + ['db', 'sync'])


def sync_databases(layout):
    """Every service's schema; two at a time (two cores)."""
    import concurrent.futures
    jobs = [
        lambda: _keystone_sync(layout),
        lambda: _nova_sync(layout),
        lambda: _manage(layout, 'sync-neutron', [
            'neutron-db-manage',
            '--config-file', layout.etc('neutron', 'neutron.conf'),
            '--config-file', layout.etc('neutron', 'ml2_conf.ini'),
            'upgrade', 'head']),
        lambda: _manage(layout, 'sync-glance', [
            'glance-manage',
            '--config-file', layout.etc('glance', 'glance-api.conf'),
            'db_sync']),
        lambda: _manage(layout, 'sync-placement', [
            'placement-manage',
            '--config-file', layout.etc('placement', 'placement.conf'),
            'db', 'sync']),
    ]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def discover_hosts(layout):
    _manage(layout, 'sync-nova', [
        'nova-manage', '--config-file', layout.etc('nova', 'nova.conf'),
        'cell_v2', 'discover_hosts', '--verbose'])


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


def _role(conn, name):
    return (conn.identity.find_role(name) or
            conn.identity.create_role(name=name))


def register_services(layout, conn):
    """Service accounts (admin and service roles) and the catalog."""
    default = conn.identity.find_domain('default')
    service = (conn.identity.find_project('service') or
               conn.identity.create_project(name='service',
                                            domain_id=default.id))
    admin_role = _role(conn, 'admin')
    service_role = _role(conn, 'service')
    member_role = _role(conn, 'member')
    for name in config.SERVICE_USERS:
        user = (conn.identity.find_user(name) or
                conn.identity.create_user(name=name, domain_id=default.id,
                                          password=layout.password))
        for role in (admin_role, service_role):
            conn.identity.assign_project_role_to_user(service, user, role)
    demo = (conn.identity.find_project('demo') or
            conn.identity.create_project(name='demo', domain_id=default.id))
    demo_user = (conn.identity.find_user('demo') or
                 conn.identity.create_user(name='demo', domain_id=default.id,
                                           password=layout.password))
    conn.identity.assign_project_role_to_user(demo, demo_user, member_role)
    catalog = (('nova', 'compute', layout.url('nova', '/v2.1')),
               ('placement', 'placement', layout.url('placement')),
               ('glance', 'image', layout.url('glance')),
               ('neutron', 'network', layout.url('neutron')))
    for name, kind, url in catalog:
        svc = (conn.identity.find_service(name) or
               conn.identity.create_service(name=name, type=kind))
        for interface in ('public', 'internal'):
            conn.identity.create_endpoint(service_id=svc.id, url=url,
                                          interface=interface,
                                          region_id='RegionOne')


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
    demo = conn.identity.find_project('demo')
    network = conn.network.create_network(name=DEMO_NETWORK,
                                          project_id=demo.id)
    conn.network.create_subnet(
        name=DEMO_NETWORK, network_id=network.id, ip_version=4,
        cidr=cloud_layout.DEMO_CIDR, project_id=demo.id)
    shared = conn.network.create_network(name=SHARED_NETWORK, shared=True)
    conn.network.create_subnet(
        name=SHARED_NETWORK, network_id=shared.id, ip_version=4,
        cidr=cloud_layout.SHARED_CIDR)
    return {'images': images, 'network': network.id}
