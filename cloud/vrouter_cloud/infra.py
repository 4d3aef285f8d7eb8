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

"""The infrastructure from Debian packages: MariaDB, RabbitMQ, libvirt.

MariaDB and RabbitMQ are the cloud's own: a data directory in the run
directory, the cloud's ports on 127.0.0.1, their own Erlang port mapper
(``epmd`` on the cloud's port, so another RabbitMQ on the host is none of
their business).  libvirtd and virtlogd are the host's: started only if
they do not run, and then stopped by ``down`` (by pid) only if this cloud
started them.
"""

import os
import socket
import subprocess
import time

import pymysql

from vrouter_cloud import procs

DATABASES = ('keystone', 'placement', 'glance', 'neutron', 'nova_api',
             'nova', 'nova_cell0')

READY_TIMEOUT = 120.0


def wait_port(processes, name, port, timeout=READY_TIMEOUT):
    """Wait until 127.0.0.1:port accepts connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive(name)
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise procs.ServiceFailed('%s: port %d not open after %d s' % (
        name, port, timeout))


def start_mariadb(layout, processes):
    datadir = layout.data('mysql')
    if not os.path.isdir(os.path.join(datadir, 'mysql')):
        os.makedirs(datadir, exist_ok=True)
        with open(layout.log('mariadb-install-db'), 'wb') as log:
            subprocess.run(
                ['mariadb-install-db', '--no-defaults', '--user=root',
                 '--datadir=' + datadir, '--skip-test-db',
                 '--auth-root-authentication-method=normal'],
                stdout=log, stderr=subprocess.STDOUT, check=True)
    processes.start('mariadb', [
        'mariadbd', '--no-defaults', '--user=root', '--datadir=' + datadir,
        '--socket=' + layout.mysql_socket,
        '--port=%d' % layout.port('mysql'), '--bind-address=127.0.0.1',
        '--pid-file=' + layout.data('mysqld.pid'),
        '--innodb-buffer-pool-size=128M', '--performance-schema=OFF',
        '--skip-log-bin', '--max-connections=1000',
        '--character-set-server=utf8mb3', '--skip-name-resolve',
        '--log-error=' + layout.log('mariadb-error')])
    wait_port(processes, 'mariadb', layout.port('mysql'))
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


def _rabbit_env(layout):
    base = layout.data('rabbitmq')
    return {
        'HOME': base,
        'RABBITMQ_NODENAME': 'vrcloud@localhost',
        'RABBITMQ_NODE_IP_ADDRESS': '127.0.0.1',
        'RABBITMQ_NODE_PORT': str(layout.port('rabbit')),
        'RABBITMQ_DIST_PORT': str(layout.port('rabbit_dist')),
        'ERL_EPMD_ADDRESS': '127.0.0.1',
        'ERL_EPMD_PORT': str(layout.port('epmd')),
        'RABBITMQ_MNESIA_BASE': os.path.join(base, 'mnesia'),
        'RABBITMQ_LOG_BASE': layout.path('log', 'rabbitmq'),
        'RABBITMQ_LOGS': '-',
        'RABBITMQ_PID_FILE': os.path.join(base, 'rabbitmq.pid'),
        'RABBITMQ_CONFIG_FILE': os.path.join(base, 'rabbitmq'),
        'RABBITMQ_ENABLED_PLUGINS_FILE': os.path.join(base,
                                                      'enabled_plugins'),
    }


def start_rabbitmq(layout, processes):
    env = _rabbit_env(layout)
    os.makedirs(env['RABBITMQ_MNESIA_BASE'], exist_ok=True)
    os.makedirs(env['RABBITMQ_LOG_BASE'], exist_ok=True)
    with open(env['RABBITMQ_ENABLED_PLUGINS_FILE'], 'w') as f:
        f.write('[].\n')
    # Our own port mapper, in the foreground: stopped by its pid.
    processes.start('epmd', ['epmd', '-port', str(layout.port('epmd')),
                             '-address', '127.0.0.1'], env=env)
    wait_port(processes, 'epmd', layout.port('epmd'))
    processes.start('rabbitmq',
                    ['/usr/lib/rabbitmq/bin/rabbitmq-server'], env=env)
    wait_port(processes, 'rabbitmq', layout.port('rabbit'))


# libvirt: the host's daemons.

def _daemon_pid(name):
    try:
        with open('/run/%s.pid' % name) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    try:
        with open('/proc/%d/comm' % pid) as f:
            if f.read().strip() != name:
                return None
    except OSError:
        return None
    return pid


def start_libvirt(layout, processes):
    """Start virtlogd and libvirtd unless they run; wait for qemu:///system.
    """
    for name in ('virtlogd', 'libvirtd'):
        if _daemon_pid(name) is not None:
            continue
        subprocess.run([name, '-d'], check=True)
        for _ in range(100):
            pid = _daemon_pid(name)
            if pid is not None:
                break
            time.sleep(0.1)
        else:
            raise procs.ServiceFailed('%s did not start' % name)
        processes.adopt(name, pid)
    deadline = time.monotonic() + READY_TIMEOUT
    while subprocess.run(['virsh', '-c', 'qemu:///system', 'version'],
                         capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise procs.ServiceFailed('qemu:///system does not answer')
        time.sleep(0.5)


def stop_libvirt(processes):
    # libvirtd first, then its log daemon; only what we started.
    for name in ('libvirtd', 'virtlogd'):
        processes.stop(name, group=False)
