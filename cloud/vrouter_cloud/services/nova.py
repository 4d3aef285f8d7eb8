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

"""Nova: the API, the metadata API, the conductor and the scheduler here;
each compute node's nova-compute is its Node's (``vrouter_cloud.node``),
with the configuration ``write_compute_config`` gives it.

nova-compute runs the patched Nova with this distribution's os-vif
plugin, its ``[os_vif_vrouter]`` options pointing at the node's own
agent and port files, and the settings a Tungsten Fabric compute node
uses (``vif_plugging_timeout = 0``: the controller sends no vif-plugged
events).  The settings a vRouter cloud needs for moving servers between
nodes are marked; doc/source/admin says why.
"""

import os
import shutil

from vrouter_cloud import ini
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud.services import api
from vrouter_cloud.services import auth
from vrouter_cloud.services import common

API = 'nova-api'
METADATA = 'nova-metadata'
CONDUCTOR = 'nova-conductor'
SCHEDULER = 'nova-scheduler'


def _common(layout, debug=True):
    """What every Nova service of the cloud shares."""
    return [
        ('api_database', {'connection': layout.database_url('nova_api')}),
        ('database', {'connection': layout.database_url('nova')}),
        ('keystone_authtoken', auth.authtoken(layout, 'nova')),
        ('placement', auth.service_auth(layout, 'placement')),
        ('neutron', dict(auth.service_auth(layout, 'neutron'),
                         service_metadata_proxy=True,
                         metadata_proxy_shared_secret=layout.metadata_secret)),
        ('service_user', dict(auth.service_auth(layout, 'nova'),
                              send_service_user_token=True)),
        ('glance', {'region_name': 'RegionOne'}),
        ('vnc', {'enabled': False}),
        ('spice', {'enabled': False}),
        ('serial_console', {'enabled': False}),
    ]


def _defaults(layout):
    return {
        'debug': True,
        'transport_url': layout.transport_url,
        'instance_name_template': cloud_layout.DOMAIN_TEMPLATE,
        # down waits for this before it escalates.
        'graceful_shutdown_timeout': 5,
    }


def allow_resize_to_same_host(zone_sizes, default_zone=None):
    """Whether a resize may keep a server on its node.

    A resize moves the server to another node of its availability zone
    when there is one, as operators see it; in a zone of one node, the
    node resizes in place (the scheduler keeps a server in its zone).
    With a default zone, the servers that resize are that zone's (the
    others are asked for by name, and only booted).

    :param zone_sizes: {zone: how many compute nodes it has}
    :param default_zone: the zone of servers that name none, or None
    """
    if default_zone is not None:
        return zone_sizes[default_zone] < 2
    return min(n for n in zone_sizes.values() if n) < 2


def write_config(layout, zone_sizes, default_zone=None):
    """The controller's nova.conf (API, metadata, conductor, scheduler).

    :param zone_sizes: {availability zone: how many compute nodes it has}
    :param default_zone: the availability zone of servers that ask for
        none, or None (any node)
    """
    etc = layout.etc('nova')
    os.makedirs(etc, exist_ok=True)
    shutil.copy(os.path.join(layout.venv, 'etc', 'nova', 'api-paste.ini'),
                etc)
    conf = os.path.join(etc, 'nova.conf')
    defaults = dict(
        _defaults(layout),
        state_path=layout.data('nova'),
        osapi_compute_workers=1,
        metadata_workers=1,
        allow_resize_to_same_host=allow_resize_to_same_host(
            zone_sizes, default_zone))
    if default_zone:
        defaults['default_schedule_zone'] = default_zone
    ini.write(conf, [
        ('DEFAULT', defaults),
        ('wsgi', {'api_paste_config': os.path.join(etc, 'api-paste.ini')}),
        ('api', {'auth_strategy': 'keystone'}),
        ('conductor', {'workers': 1}),
        ('scheduler', {'workers': 1,
                       'discover_hosts_in_cells_interval': -1}),
        ('oslo_concurrency', {'lock_path': layout.data('nova', 'locks')}),
    ] + _common(layout))
    return conf


def write_compute_config(layout, node, venv=None, options=None):
    """One node's nova.conf for its nova-compute.

    :param node: the node's NodeLayout
    :param venv: the virtualenv nova-compute runs from, whose privileged
        helper it starts (default: the cloud's)
    :param options: {section: {option: value}} of the node's kind (a
        DPDK node's memory), over the common ones
    """
    path = node.nova_conf
    helper = auth.privsep(layout, path, venv=venv)
    ini.write(path, _merge([
        ('DEFAULT', dict(
            _defaults(layout),
            host=node.name,
            my_ip=node.address,
            compute_driver='libvirt.LibvirtDriver',
            state_path=node.state_path,
            # One path on every node (Layout.instances_path), each node's
            # own directory mounted there.
            instances_path=layout.instances_path,
            # What a Tungsten Fabric compute node runs with: no
            # network-vif-plugged events come.
            vif_plugging_timeout=0,
            vif_plugging_is_fatal=False,
            # The guest reads its network and key from the config drive.
            force_config_drive=True,
            mkisofs_cmd='genisoimage',
            # Test speed: guests that do not answer ACPI are destroyed
            # soon.
            shutdown_timeout=5,
            cpu_allocation_ratio=16.0,
            ram_allocation_ratio=1.5,
            reserved_host_memory_mb=1024,
            heal_instance_info_cache_interval=-1,
            sync_power_state_interval=-1,
            # The node starts again what ran before a reboot of its host.
            resume_guests_state_on_host_boot=True,
        )),
        ('libvirt', {
            'virt_type': 'qemu',
            # The node's own libvirtd (its mount namespace's socket).
            'connection_uri': 'qemu:///system',
            'wait_soft_reboot_seconds': 10,
            'hw_machine_type': 'x86_64=pc',
            # Moving servers: libvirtd on the node's address, block
            # migration (no shared storage), disks copied over ssh.
            'live_migration_inbound_addr': node.address,
            'live_migration_scheme': 'tcp',
            'remote_filesystem_transport': 'ssh',
        }),
        # NOTE: the guest's kernel (an AKI image, a Linux bzImage) carries
        # the 0x55AA signature of a boot sector: when a move downloads it
        # again (fetch_image, with deep inspection: live migration's
        # pre-check, a cold migration's finish), Nova's format inspector
        # takes it for an MBR disk with a broken partition table and
        # refuses the image.  A boot downloads it without inspection.
        ('workarounds', {'disable_deep_image_inspection': True}),
        ('os_vif_vrouter', {
            'agent_host': '127.0.0.1',
            'agent_port': cloud_layout.AGENT_PORT,
            'port_dir': node.port_dir,
        }),
        ('oslo_concurrency', {'lock_path': node.path('locks')}),
        ('nova_sys_admin', helper),
        ('os_vif_vrouter_privileged', helper),
        ('vif_plug_ovs_privileged', helper),
        ('vif_plug_linux_bridge_privileged', helper),
    ] + _common(layout), options or {}))
    return path


def _merge(sections, options):
    """sections with options set over them (new sections at the end)."""
    merged = [(name, dict(values, **options.get(name, {})))
              for name, values in sections]
    names = set(name for name, _ in sections)
    return merged + [(name, values) for name, values in options.items()
                     if name not in names]


def sync(layout):
    manage = ['nova-manage', '--config-file', layout.etc('nova', 'nova.conf')]
    common.manage(layout, 'sync-nova', manage + ['api_db', 'sync'])
    common.manage(layout, 'sync-nova', manage + [
        'cell_v2', 'map_cell0', '--database_connection',
        layout.database_url('nova_cell0')])
    common.manage(layout, 'sync-nova', manage + [
        'cell_v2', 'create_cell', '--name', 'cell1', '--verbose'])
    common.manage(layout, 'sync-nova', manage + ['db', 'sync'])


def discover_hosts(layout):
    common.manage(layout, 'sync-nova', [
        'nova-manage', '--config-file', layout.etc('nova', 'nova.conf'),
        'cell_v2', 'discover_hosts', '--verbose'])


def start(layout, processes):
    env = {'OS_NOVA_CONFIG_DIR': layout.etc('nova')}
    api.start(layout, processes, API, 'nova.wsgi.osapi_compute', 'nova',
              env)
    api.start(layout, processes, METADATA, 'nova.wsgi.metadata',
              'nova-metadata', env)


def wait(layout, processes):
    api.wait(layout, processes, API, 'nova')
    api.wait(layout, processes, METADATA, 'nova-metadata')


def start_workers(layout, processes):
    conf = ['--config-file', layout.etc('nova', 'nova.conf')]
    for name in (CONDUCTOR, SCHEDULER):
        processes.start(name, [layout.bin(name)] + conf)
