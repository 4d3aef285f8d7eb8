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

"""Glance: the guest images, in a directory store of the run directory."""

import os
import shutil

from vrouter_cloud import ini
from vrouter_cloud.services import api
from vrouter_cloud.services import auth
from vrouter_cloud.services import common

NAME = 'glance'


def write_config(layout):
    etc = layout.etc('glance')
    os.makedirs(etc, exist_ok=True)
    shutil.copy(os.path.join(layout.venv, 'etc', 'glance',
                             'glance-api-paste.ini'), etc)
    ini.write(os.path.join(etc, 'glance-api.conf'), [
        ('DEFAULT', {
            'debug': False,
            'enabled_backends': 'file:file',
            'image_cache_dir': layout.data('glance', 'cache'),
        }),
        ('database', {'connection': layout.database_url('glance')}),
        ('glance_store', {'default_backend': 'file'}),
        ('file', {'filesystem_store_datadir': layout.data('glance',
                                                          'images')}),
        ('os_glance_staging_store', {
            'filesystem_store_datadir': layout.data('glance', 'staging')}),
        ('os_glance_tasks_store', {
            'filesystem_store_datadir': layout.data('glance', 'tasks')}),
        ('keystone_authtoken', auth.authtoken(layout, 'glance')),
        ('paste_deploy', {
            'flavor': 'keystone',
            'config_file': os.path.join(etc, 'glance-api-paste.ini')}),
        ('oslo_concurrency', {'lock_path': layout.data('glance', 'locks')}),
    ])


def sync(layout):
    common.manage(layout, 'sync-glance', [
        'glance-manage', '--config-file',
        layout.etc('glance', 'glance-api.conf'), 'db_sync'])


def start(layout, processes):
    api.start(layout, processes, NAME, 'glance.wsgi.api', 'glance',
              {'OS_GLANCE_CONFIG_DIR': layout.etc('glance')})


def wait(layout, processes):
    api.wait(layout, processes, NAME, 'glance')
