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

"""The services' configuration files, written into the run directory.

The smallest configuration that worked (``doc/source/contributor/cloud.rst``,
"What the cloud relies on"), one file per
service.  nova-compute runs with the plugin's ``[os_vif_vrouter]`` options
pointing at the stand-in agent and the run directory's port files, and
with the settings a Tungsten Fabric compute node uses
(``vif_plugging_timeout = 0``: the controller sends no vif-plugged
events).
"""

import os
import shutil

from vrouter_cloud import infra
from vrouter_cloud import layout as cloud_layout

# Accounts of the services in the "service" project.
SERVICE_USERS = ('nova', 'neutron', 'glance', 'placement')

# The mechanism driver's entry point (neutron.ml2.mechanism_drivers).
MECHANISM_DRIVER = 'vrouter_test'

# The compute node's host name in Nova and in the port bindings.
COMPUTE_HOST = 'vrcloud-node1'


def render_ini(sections):
    """The text of an ini file from [(section, {key: value})]."""
    lines = []
    for section, options in sections:
        lines.append('[%s]' % section)
        for key, value in options.items():
            if isinstance(value, bool):
                value = 'true' if value else 'false'
            lines.append('%s = %s' % (key, value))
        lines.append('')
    return '\n'.join(lines)


def _write(path, sections):
    """Write an ini file from [(section, {key: value})]."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(render_ini(sections))


def _account(layout, user):
    """The password credentials of one service's account."""
    return {
        'auth_url': layout.url('keystone', '/v3'),
        'auth_type': 'password',
        'username': user,
        'password': layout.password,
        'project_name': 'service',
        'user_domain_name': 'Default',
        'project_domain_name': 'Default',
    }


def _authtoken(layout, user):
    """A [keystone_authtoken] section: the service checks tokens."""
    return dict(_account(layout, user),
                www_authenticate_uri=layout.url('keystone', '/v3'),
                memcached_servers='',
                service_token_roles_required=True)


def _service_auth(layout, user):
    """An [nova]/[neutron]/[placement] section of one service's account."""
    return dict(_account(layout, user), region_name='RegionOne')


def _privsep(layout, conf):
    """Our privsep contexts: no sudo here, the services run as root."""
    return {'helper_command': '%s --config-file %s' % (
        layout.bin('privsep-helper'), conf)}


def write_keystone(layout):
    etc = layout.etc('keystone')
    _write(os.path.join(etc, 'keystone.conf'), [
        ('DEFAULT', {'debug': False}),
        ('database', {'connection': layout.database_url('keystone')}),
        ('token', {'provider': 'fernet'}),
        ('fernet_tokens', {
            'key_repository': os.path.join(etc, 'fernet-keys')}),
        ('fernet_receipts', {
            'key_repository': os.path.join(etc, 'fernet-keys')}),
        ('credential', {
            'key_repository': os.path.join(etc, 'credential-keys')}),
    ])


def write_placement(layout):
    _write(layout.etc('placement', 'placement.conf'), [
        ('DEFAULT', {'debug': False}),
        ('placement_database', {
            'connection': layout.database_url('placement')}),
        ('api', {'auth_strategy': 'keystone'}),
        ('keystone_authtoken', _authtoken(layout, 'placement')),
    ])


def write_glance(layout):
    etc = layout.etc('glance')
    os.makedirs(etc, exist_ok=True)
    shutil.copy(os.path.join(layout.venv, 'etc', 'glance',
                             'glance-api-paste.ini'), etc)
    images = layout.data('glance', 'images')
    _write(os.path.join(etc, 'glance-api.conf'), [
        ('DEFAULT', {
            'debug': False,
            'enabled_backends': 'file:file',
            'image_cache_dir': layout.data('glance', 'cache'),
        }),
        ('database', {'connection': layout.database_url('glance')}),
        ('glance_store', {'default_backend': 'file'}),
        ('file', {'filesystem_store_datadir': images}),
        ('os_glance_staging_store', {
            'filesystem_store_datadir': layout.data('glance', 'staging')}),
        ('os_glance_tasks_store', {
            'filesystem_store_datadir': layout.data('glance', 'tasks')}),
        ('keystone_authtoken', _authtoken(layout, 'glance')),
        ('paste_deploy', {
            'flavor': 'keystone',
            'config_file': os.path.join(etc, 'glance-api-paste.ini')}),
        ('oslo_concurrency', {'lock_path': layout.data('glance', 'locks')}),
    ])


def write_neutron(layout, dpdk_hosts=()):
    etc = layout.etc('neutron')
    os.makedirs(etc, exist_ok=True)
    shutil.copy(os.path.join(layout.venv, 'etc', 'neutron', 'api-paste.ini'),
                etc)
    _write(os.path.join(etc, 'neutron.conf'), [
        ('DEFAULT', {
            'debug': True,
            'core_plugin': 'ml2',
            'service_plugins': '',
            'auth_strategy': 'keystone',
            'transport_url': layout.transport_url,
            'api_paste_config': os.path.join(etc, 'api-paste.ini'),
            # One RPC worker: with none, neutron-rpc-server exits.
            'rpc_workers': 1,
            'rpc_state_report_workers': 0,
            # Project networks are routed by the gateway namespace: their
            # subnets must not overlap (tempest then picks the next one).
            'allow_overlapping_ips': False,
            'notify_nova_on_port_status_changes': True,
            'notify_nova_on_port_data_changes': True,
            'global_physnet_mtu': 1500,
            'graceful_shutdown_timeout': 5,
        }),
        ('database', {'connection': layout.database_url('neutron')}),
        ('keystone_authtoken', _authtoken(layout, 'neutron')),
        ('nova', _service_auth(layout, 'nova')),
        ('oslo_concurrency', {'lock_path': layout.data('neutron', 'locks')}),
        ('privsep', _privsep(layout, os.path.join(etc, 'neutron.conf'))),
    ])
    _write(os.path.join(etc, 'ml2_conf.ini'), [
        ('ml2', {
            'type_drivers': 'flat,vxlan',
            'tenant_network_types': 'vxlan',
            'mechanism_drivers': MECHANISM_DRIVER,
            'extension_drivers': 'port_security',
        }),
        ('ml2_type_vxlan', {'vni_ranges': '1:1000'}),
        ('vrouter_test', {'dpdk_hosts': ','.join(dpdk_hosts)}),
    ])


def write_nova(layout):
    etc = layout.etc('nova')
    os.makedirs(etc, exist_ok=True)
    shutil.copy(os.path.join(layout.venv, 'etc', 'nova', 'api-paste.ini'),
                etc)
    conf = os.path.join(etc, 'nova.conf')
    os.makedirs(layout.data('nova', 'instances'), exist_ok=True)
    _write(conf, [
        ('DEFAULT', {
            'debug': True,
            'host': COMPUTE_HOST,
            'my_ip': '127.0.0.1',
            'transport_url': layout.transport_url,
            'compute_driver': 'libvirt.LibvirtDriver',
            'state_path': layout.data('nova'),
            'instances_path': layout.data('nova', 'instances'),
            'instance_name_template': cloud_layout.DOMAIN_TEMPLATE,
            # What a Tungsten Fabric compute node runs with: no
            # network-vif-plugged events come.
            'vif_plugging_timeout': 0,
            'vif_plugging_is_fatal': False,
            'allow_resize_to_same_host': True,
            # The guest reads its network and key from the config drive
            # (no metadata service, no DHCP).
            'force_config_drive': True,
            'mkisofs_cmd': 'genisoimage',
            # Test speed: guests that do not answer ACPI are destroyed
            # soon.
            'shutdown_timeout': 5,
            'cpu_allocation_ratio': 16.0,
            'ram_allocation_ratio': 1.5,
            'reserved_host_memory_mb': 1024,
            'osapi_compute_workers': 1,
            'metadata_workers': 1,
            'heal_instance_info_cache_interval': -1,
            'sync_power_state_interval': -1,
            # down waits for this before it escalates.
            'graceful_shutdown_timeout': 5,
        }),
        ('wsgi', {'api_paste_config': os.path.join(etc, 'api-paste.ini')}),
        ('api', {'auth_strategy': 'keystone'}),
        ('api_database', {'connection': layout.database_url('nova_api')}),
        ('database', {'connection': layout.database_url('nova')}),
        ('keystone_authtoken', _authtoken(layout, 'nova')),
        ('placement', _service_auth(layout, 'placement')),
        ('neutron', _service_auth(layout, 'neutron')),
        ('service_user', dict(_service_auth(layout, 'nova'),
                              send_service_user_token=True)),
        ('glance', {'region_name': 'RegionOne'}),
        ('conductor', {'workers': 1}),
        ('scheduler', {'workers': 1,
                       'discover_hosts_in_cells_interval': -1}),
        ('libvirt', {
            'virt_type': 'qemu',
            'connection_uri': infra.libvirt_uri(layout),
            'wait_soft_reboot_seconds': 10,
            'hw_machine_type': 'x86_64=pc',
        }),
        ('vnc', {'enabled': False}),
        ('spice', {'enabled': False}),
        ('serial_console', {'enabled': False}),
        ('os_vif_vrouter', {
            'agent_host': '127.0.0.1',
            'agent_port': layout.port('agent'),
            'port_dir': layout.port_dir,
        }),
        ('oslo_concurrency', {'lock_path': layout.data('nova', 'locks')}),
        ('nova_sys_admin', _privsep(layout, conf)),
        ('os_vif_vrouter_privileged', _privsep(layout, conf)),
        ('vif_plug_ovs_privileged', _privsep(layout, conf)),
        ('vif_plug_linux_bridge_privileged', _privsep(layout, conf)),
    ])


def write_all(layout, dpdk_hosts=()):
    write_keystone(layout)
    write_placement(layout)
    write_glance(layout)
    write_neutron(layout, dpdk_hosts)
    write_nova(layout)
