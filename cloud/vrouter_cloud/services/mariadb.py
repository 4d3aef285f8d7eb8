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

"""MariaDB from Debian's package: the cloud's own server and databases.

Its data directory is the run directory's, it listens on the cloud's
port on 127.0.0.1 and on a socket there (only the control plane, on the
host, uses it), and every database of the cloud is made at start.
"""

import os
import subprocess

import pymysql

from vrouter_cloud import procs

NAME = 'mariadb'
# Every service's schema (the services' modules sync their own).
DATABASES = ('keystone', 'placement', 'glance', 'neutron', 'nova_api',
             'nova', 'nova_cell0')


def start(layout, processes):
    datadir = layout.data('mysql')
    if not os.path.isdir(os.path.join(datadir, 'mysql')):
        os.makedirs(datadir, exist_ok=True)
        with open(layout.log('mariadb-install-db'), 'wb') as log:
            subprocess.run(
                ['mariadb-install-db', '--no-defaults', '--user=root',
                 '--datadir=' + datadir, '--skip-test-db',
                 '--auth-root-authentication-method=normal'],
                stdout=log, stderr=subprocess.STDOUT, check=True)
    processes.start(NAME, [
        'mariadbd', '--no-defaults', '--user=root', '--datadir=' + datadir,
        '--socket=' + layout.mysql_socket,
        '--port=%d' % layout.port('mysql'), '--bind-address=127.0.0.1',
        '--pid-file=' + layout.data('mysqld.pid'),
        '--innodb-buffer-pool-size=128M', '--performance-schema=OFF',
        '--skip-log-bin', '--max-connections=1000',
        '--character-set-server=utf8mb3', '--skip-name-resolve',
        '--log-error=' + layout.log('mariadb-error')])
    procs.wait_port(processes, NAME, '127.0.0.1', layout.port('mysql'))
    # A fresh data directory: root has no password, over the socket.
    try:
        db = pymysql.connect(unix_socket=layout.mysql_socket, user='root')
    except pymysql.err.OperationalError:
        db = pymysql.connect(unix_socket=layout.mysql_socket, user='root',
                             password=layout.password)
    with db:
        with db.cursor() as cursor:
            for name in DATABASES:
                cursor.execute('CREATE DATABASE IF NOT EXISTS %s '
                               'CHARACTER SET utf8' % name)
            cursor.execute(
                "ALTER USER 'root'@'localhost' IDENTIFIED BY %s",
                (layout.password,))
        db.commit()
