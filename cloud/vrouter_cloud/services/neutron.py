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

"""Neutron: ML2 with the controller's binding rules, L3, no agents.

The API under gunicorn and ``neutron-rpc-server`` (the 2026.2 packages
ship no ``neutron-server``).  ML2 binds every port with the test tree's
mechanism driver ``vrouter_test`` (``ml2_vrouter``: as the Tungsten
Fabric controller does; the DPDK hosts are named in ``[vrouter_test]``)
on VXLAN project networks; the external network of the floating IPs is
flat (``public``).  The L3 plugin is Neutron's own with the controller's
floating IP status (``l3_vrouter``).  No Neutron agent runs: the
gateway namespace routes, serves DHCP and translates floating IPs
(``gateway``), the nodes' agents switch (``datapath``).
"""

import os
import shutil

from vrouter_cloud import ini
from vrouter_cloud.services import api
from vrouter_cloud.services import auth
from vrouter_cloud.services import common

API = 'neutron-api'
RPC = 'neutron-rpc'
MECHANISM_DRIVER = 'vrouter_test'
L3_PLUGIN = 'vrouter_test_l3'
PUBLIC_PHYSNET = 'public'


def _conf_files(layout):
    return [layout.etc('neutron', 'neutron.conf'),
            layout.etc('neutron', 'ml2_conf.ini')]


def write_config(layout, dpdk_hosts=()):
    etc = layout.etc('neutron')
    os.makedirs(etc, exist_ok=True)
    shutil.copy(os.path.join(layout.venv, 'etc', 'neutron', 'api-paste.ini'),
                etc)
    ini.write(os.path.join(etc, 'neutron.conf'), [
        ('DEFAULT', {
            'debug': True,
            'core_plugin': 'ml2',
            'service_plugins': L3_PLUGIN,
            'auth_strategy': 'keystone',
            'transport_url': layout.transport_url,
            'api_paste_config': os.path.join(etc, 'api-paste.ini'),
            # One RPC worker: with none, neutron-rpc-server exits.
            'rpc_workers': 1,
            'rpc_state_report_workers': 0,
            'notify_nova_on_port_status_changes': True,
            'notify_nova_on_port_data_changes': True,
            'global_physnet_mtu': 1500,
            'graceful_shutdown_timeout': 5,
        }),
        ('database', {'connection': layout.database_url('neutron')}),
        ('keystone_authtoken', auth.authtoken(layout, 'neutron')),
        ('nova', auth.service_auth(layout, 'nova')),
        ('oslo_concurrency', {'lock_path': layout.data('neutron', 'locks')}),
        ('privsep', auth.privsep(layout, os.path.join(etc,
                                                      'neutron.conf'))),
    ])
    ini.write(os.path.join(etc, 'ml2_conf.ini'), [
        ('ml2', {
            'type_drivers': 'flat,vxlan',
            'tenant_network_types': 'vxlan',
            'mechanism_drivers': MECHANISM_DRIVER,
            'extension_drivers': 'port_security',
        }),
        ('ml2_type_flat', {'flat_networks': PUBLIC_PHYSNET}),
        ('ml2_type_vxlan', {'vni_ranges': '1:1000'}),
        ('vrouter_test', {'dpdk_hosts': ','.join(dpdk_hosts)}),
    ])


def sync(layout):
    argv = ['neutron-db-manage']
    for path in _conf_files(layout):
        argv += ['--config-file', path]
    common.manage(layout, 'sync-neutron', argv + ['upgrade', 'head'])


def start(layout, processes):
    api.start(layout, processes, API, 'neutron.wsgi.api', 'neutron', {
        'OS_NEUTRON_CONFIG_DIR': layout.etc('neutron'),
        'OS_NEUTRON_CONFIG_FILES': 'neutron.conf;ml2_conf.ini'})


def wait(layout, processes):
    api.wait(layout, processes, API, 'neutron')


def start_rpc(layout, processes):
    argv = [layout.bin('neutron-rpc-server')]
    for path in _conf_files(layout):
        argv += ['--config-file', path]
    processes.start(RPC, argv)
