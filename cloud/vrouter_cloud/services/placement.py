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

"""Placement: the resource providers of the compute nodes."""

from vrouter_cloud import ini
from vrouter_cloud.services import api
from vrouter_cloud.services import auth
from vrouter_cloud.services import common

NAME = 'placement'


def write_config(layout):
    ini.write(layout.etc('placement', 'placement.conf'), [
        ('DEFAULT', {'debug': False}),
        ('placement_database', {
            'connection': layout.database_url('placement')}),
        ('api', {'auth_strategy': 'keystone'}),
        ('keystone_authtoken', auth.authtoken(layout, 'placement')),
    ])


def sync(layout):
    common.manage(layout, 'sync-placement', [
        'placement-manage', '--config-file',
        layout.etc('placement', 'placement.conf'), 'db', 'sync'])


def start(layout, processes):
    api.start(layout, processes, NAME, 'placement.wsgi.api', 'placement',
              {'OS_PLACEMENT_CONFIG_DIR': layout.etc('placement')})


def wait(layout, processes):
    api.wait(layout, processes, NAME, 'placement')
