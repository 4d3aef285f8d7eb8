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

"""Keystone: identity, the services' accounts and the catalog.

Fernet tokens with keys in its configuration directory; ``sync`` makes
the schema and bootstraps the admin account; ``register`` adds the
services' accounts, a ``demo`` project and user, and the catalog (every
endpoint on the management address, where the nodes reach it).
"""

import os

from vrouter_cloud import ini
from vrouter_cloud.services import api
from vrouter_cloud.services import common

NAME = 'keystone'
# The services' accounts in the "service" project.
SERVICE_USERS = ('nova', 'neutron', 'glance', 'placement')


def write_config(layout):
    etc = layout.etc('keystone')
    ini.write(os.path.join(etc, 'keystone.conf'), [
        ('DEFAULT', {'debug': False}),
        ('database', {'connection': layout.database_url('keystone')}),
        # bcrypt's fewest rounds: tempest makes a user per test class and
        # asks for a token again and again, and at Keystone's default (12
        # rounds, half a second a password on this machine) Keystone
        # took more CPU than any other service in a whole-suite run.
        # The passwords are the cloud's own, on a machine of its own.
        ('identity', {'password_hash_rounds': 4}),
        ('token', {'provider': 'fernet'}),
        ('fernet_tokens', {
            'key_repository': os.path.join(etc, 'fernet-keys')}),
        ('fernet_receipts', {
            'key_repository': os.path.join(etc, 'fernet-keys')}),
        ('credential', {
            'key_repository': os.path.join(etc, 'credential-keys')}),
    ])


def sync(layout):
    manage = ['keystone-manage', '--config-file',
              layout.etc('keystone', 'keystone.conf')]
    common.manage(layout, 'sync-keystone', manage + ['db_sync'])
    for what in ('fernet_setup', 'credential_setup'):
        common.manage(layout, 'sync-keystone', manage + [
            what, '--keystone-user', 'root', '--keystone-group', 'root'])
    common.manage(layout, 'sync-keystone', manage + [
        'bootstrap', '--bootstrap-password', layout.password,
        '--bootstrap-admin-url', layout.url('keystone', '/v3'),
        '--bootstrap-internal-url', layout.url('keystone', '/v3'),
        '--bootstrap-public-url', layout.url('keystone', '/v3'),
        '--bootstrap-region-id', 'RegionOne'])


def start(layout, processes):
    api.start(layout, processes, NAME, 'keystone.wsgi.api', 'keystone', {
        'OS_KEYSTONE_CONFIG_DIR': layout.etc('keystone'),
        'OS_KEYSTONE_CONFIG_FILES': 'keystone.conf'})
    api.wait(layout, processes, NAME, 'keystone')


def _role(conn, name):
    return (conn.identity.find_role(name) or
            conn.identity.create_role(name=name))


def register(layout, conn):
    """Service accounts (admin and service roles), demo, the catalog."""
    default = conn.identity.find_domain('default')
    service = (conn.identity.find_project('service') or
               conn.identity.create_project(name='service',
                                            domain_id=default.id))
    admin_role = _role(conn, 'admin')
    service_role = _role(conn, 'service')
    member_role = _role(conn, 'member')
    for name in SERVICE_USERS:
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
