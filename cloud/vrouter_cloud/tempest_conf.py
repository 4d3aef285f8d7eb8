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

"""tempest.conf for the running cloud.

    python -m vrouter_cloud.tempest_conf --top TOP [--zone ZONE] WORKSPACE

Writes a tempest workspace (WORKSPACE/.stestr.conf, WORKSPACE/etc/
tempest.conf) for the cloud as ``tools/cloud up`` made it: dynamic
credentials with a network, subnet and router of their own for each test
project (tempest's default), validation over floating IPs on the cloud's
external network, as upstream gates do, the guest image and flavors, the
Neutron extensions the cloud really has, and the features its nodes have
or lack (no Cinder, no Swift, no consoles; moving servers with two nodes
or more: live migration is block migration, the nodes share no storage).
The ``[vrouter]`` section tells our tempest plugin where the nodes'
description is (``etc/nodes.json``: each node's agent, port files,
libvirt and datapath).

With ``--zone`` the run targets the nodes of one availability zone (the
DPDK nodes: ``dpdk``): tempest boots its servers there and moves them
between them only (``compute_volume_common_az``, which tempest uses for
both; without Cinder it means nothing else), and counts only them.
"""

import argparse
import json
import os
import sys

import tempest

from vrouter_cloud import bootstrap
from vrouter_cloud import ini
from vrouter_cloud import layout as cloud_layout


def nodes_under_test(nodes, zone=None):
    """The nodes a run targets: those of the zone, or all.

    :param nodes: the entries of the cloud's nodes file
    :raises: ValueError if the zone has none
    """
    chosen = [n for n in nodes if zone is None or n.get('zone') == zone]
    if not chosen:
        raise ValueError('no node of the cloud is in availability zone %s '
                         '(%s)' % (zone, ', '.join(sorted(set(
                             str(n.get('zone')) for n in nodes)))))
    return chosen


def write(layout, workspace, zone=None):
    workspace = os.path.abspath(workspace)
    with open(layout.nodes_file) as f:
        count = len(nodes_under_test(json.load(f)['nodes'], zone))
    moves = count > 1
    conn = bootstrap.connect(layout)
    public = conn.network.find_network(bootstrap.PUBLIC_NETWORK)
    image = conn.image.find_image(bootstrap.IMAGE)
    image_alt = conn.image.find_image(bootstrap.IMAGE_ALT)
    flavor = conn.compute.find_flavor(bootstrap.FLAVOR)
    flavor_alt = conn.compute.find_flavor(bootstrap.FLAVOR_ALT)
    extensions = sorted(e.alias for e in conn.network.extensions())
    compute = {
        'image_ref': image.id,
        'image_ref_alt': image_alt.id,
        'flavor_ref': flavor.id,
        'flavor_ref_alt': flavor_alt.id,
        'fixed_network_name': bootstrap.SHARED_NETWORK,
        'min_compute_nodes': count,
        'max_microversion': 'latest',
        'build_timeout': 300,
    }
    if zone:
        compute['compute_volume_common_az'] = zone
    conf = ini.render([
        ('DEFAULT', {
            'log_dir': os.path.join(workspace, 'logs'),
            'log_file': 'tempest.log',
        }),
        ('oslo_concurrency', {
            'lock_path': os.path.join(workspace, 'locks')}),
        ('auth', {
            'use_dynamic_credentials': True,
            'create_isolated_networks': True,
            'admin_username': 'admin',
            'admin_password': layout.password,
            'admin_project_name': 'admin',
            'admin_domain_name': 'Default',
        }),
        ('identity', {
            'uri_v3': layout.url('keystone', '/v3'),
            'auth_version': 'v3',
            'region': 'RegionOne',
        }),
        ('service_available', {
            'nova': True, 'neutron': True, 'glance': True,
            'cinder': False, 'swift': False, 'heat': False,
            'horizon': False, 'designate': False,
        }),
        ('compute', compute),
        ('compute-feature-enabled', {
            'config_drive': True,
            'personality': True,
            'metadata_service': True,
            'change_password': False,
            'console_output': True,
            'resize': True,
            'pause': True,
            'suspend': True,
            'shelve': True,
            'shelve_migrate': moves,
            'snapshot': True,
            'cold_migration': moves,
            'live_migration': moves,
            # grenade's option (tempest's default is off): migrating a
            # paused server back before it ever ran again crashes Debian
            # 12's QEMU 7.2 (bdrv_inactivate_recurse assertion); our
            # plugin moves active servers there and back.
            'live_migrate_back_and_forth': False,
            'block_migration_for_live_migration': moves,
            'vnc_console': False,
            'spice_console': False,
            'serial_console': False,
            'rescue': True,
            'stable_rescue': False,
            'interface_attach': True,
            'attach_encrypted_volume': False,
            'swap_volume': False,
            'disk_config': True,
            'hostname_fqdn_sanitization': True,
        }),
        ('network', {
            'project_network_cidr': cloud_layout.GUEST_CIDR,
            'project_network_mask_bits': 28,
            'floating_network_name': bootstrap.PUBLIC_NETWORK,
            'public_network_id': public.id,
        }),
        ('network-feature-enabled', {
            'api_extensions': ','.join(extensions),
            'floating_ips': True,
            'port_security': True,
            'ipv6': False,
        }),
        ('image-feature-enabled', {'api_v2': True}),
        ('validation', {
            'run_validation': True,
            'connect_method': 'floating',
            'auth_method': 'keypair',
            'image_ssh_user': 'root',
            'image_alt_ssh_user': 'root',
            'ssh_timeout': 300,
            'ip_version_for_ssh': 4,
        }),
        ('vrouter', {
            'nodes_file': layout.nodes_file,
            'domain_prefix': cloud_layout.DOMAIN_TEMPLATE.split('%')[0],
        }),
    ])
    for name in ('etc', 'logs', 'locks'):
        os.makedirs(os.path.join(workspace, name), exist_ok=True)
    path = os.path.join(workspace, 'etc', 'tempest.conf')
    with open(path, 'w') as f:
        f.write(conf)
    # What `tempest init` would write, without registering the workspace
    # in the home directory's list.
    tempest_dir = os.path.dirname(os.path.abspath(tempest.__file__))
    with open(os.path.join(workspace, '.stestr.conf'), 'w') as f:
        f.write('[DEFAULT]\ntest_path=%s\ntop_dir=%s\n'
                'group_regex=([^\\.]*\\.)*\n' % (
                    os.path.join(tempest_dir, 'test_discover'),
                    os.path.dirname(tempest_dir)))
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('workspace')
    parser.add_argument('--top', default=os.getcwd())
    parser.add_argument('--zone', help='target the nodes of this '
                                       'availability zone')
    args = parser.parse_args(argv)
    try:
        print(write(cloud_layout.Layout(args.top), args.workspace,
                    args.zone))
    except ValueError as exc:
        print('tempest_conf: %s' % exc, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
