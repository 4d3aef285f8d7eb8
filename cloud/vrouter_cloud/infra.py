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

All three are the cloud's own: data directories in the run directory,
the cloud's ports on 127.0.0.1, RabbitMQ with its own Erlang port mapper
(``epmd`` on the cloud's port), and libvirtd with virtlogd in a mount
namespace of their own (see start_libvirt), so that nothing of another
MariaDB, RabbitMQ or libvirtd on the host is their business, nor theirs
the cloud's.
"""

import os
import shutil
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


# libvirt: a libvirtd and virtlogd of the cloud's own.

# Where libvirt keeps its sockets, state, configuration, logs and cache;
# the cloud's libvirtd sees its own directories there (a mount namespace
# of its own), so that it shares nothing with the host's libvirtd.
LIBVIRT_DIRS = ('/run/libvirt', '/var/lib/libvirt', '/etc/libvirt',
                '/var/log/libvirt', '/var/cache/libvirt')


def libvirt_dir(layout, path):
    return layout.data('libvirt', path.strip('/').replace('/', '-'))


def libvirt_uri(layout):
    """qemu:///system of the cloud's libvirtd (its socket's path)."""
    return 'qemu:///system?socket=%s' % os.path.join(
        libvirt_dir(layout, '/run/libvirt'), 'libvirt-sock')


def start_libvirt(layout, processes):
    """The cloud's libvirtd and virtlogd; wait until they answer.

    The host's libvirtd is shared: other suites define domains on it
    (nova-compute refuses to start beside domains it does not know) and
    stop it when they are done.  The cloud's own run in a mount namespace
    where the directories of LIBVIRT_DIRS are the run directory's (the
    configuration files copies of the host's, none of its domains or
    networks), with pid files of their own; the same QEMU, the host's
    network namespace.
    """
    mounts = []
    for path in LIBVIRT_DIRS:
        private = libvirt_dir(layout, path)
        os.makedirs(private, exist_ok=True)
        if path == '/etc/libvirt':
            # The daemons' configuration files only: the subdirectories
            # hold the host's domains and networks.
            for name in os.listdir(path):
                if os.path.isfile(os.path.join(path, name)):
                    shutil.copy2(os.path.join(path, name), private)
        mounts.append('mkdir -p %s && mount --bind %s %s' % (
            path, private, path))
    pid_dir = layout.data('libvirt')
    script = ' && '.join(mounts) + (
        ' && { virtlogd -p %s/virtlogd.pid & exec libvirtd -p '
        '%s/libvirtd.pid; }' % (pid_dir, pid_dir))
    processes.start('libvirtd', ['unshare', '--mount',
                                 '--propagation', 'private', '--',
                                 'sh', '-c', script])
    uri = libvirt_uri(layout)
    deadline = time.monotonic() + READY_TIMEOUT
    while subprocess.run(['virsh', '-c', uri, 'version'],
                         capture_output=True).returncode != 0:
        processes.check_alive('libvirtd')
        if time.monotonic() > deadline:
            raise procs.ServiceFailed('%s does not answer' % uri)
        time.sleep(0.5)
