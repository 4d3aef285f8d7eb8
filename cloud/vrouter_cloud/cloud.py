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

"""Bring the cloud up, take it down, say what runs.

    python -m vrouter_cloud.cloud up|down|status [--keep-logs]

``up`` starts every service in order (``doc/source/contributor/cloud.rst``,
"What the cloud relies on"), waits until each
answers, and writes ``etc/clouds.yaml`` (clouds ``vrcloud-admin`` and
``vrcloud-demo``) and ``etc/openrc`` into the run directory; if a step
fails it takes down what it started and keeps the logs.  ``down`` deletes
the servers, stops every service it finds recorded (by pid, last started
first), removes what the cloud left on the host (domains, bridges, the
gateway namespace) and the run directory's data; the logs stay with
``--keep-logs``.  Each phase's wall time is printed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

import openstack

from vrouter_cloud import bootstrap
from vrouter_cloud import config
from vrouter_cloud import datapath
from vrouter_cloud import infra
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import procs

# Services in start order; down stops them in reverse.
ORDER = ('libvirtd', 'mariadb', 'epmd', 'rabbitmq', 'keystone',
         'placement', 'glance', 'neutron-api', 'nova-api', 'neutron-rpc',
         'nova-conductor', 'nova-scheduler', 'agent', 'nova-compute')

_APIS = (
    # name, WSGI module, its config environment
    ('placement', 'placement.wsgi.api', 'OS_PLACEMENT_CONFIG_DIR', None),
    ('glance', 'glance.wsgi.api', 'OS_GLANCE_CONFIG_DIR', None),
    ('neutron-api', 'neutron.wsgi.api', 'OS_NEUTRON_CONFIG_DIR',
     'neutron.conf;ml2_conf.ini'),
    ('nova-api', 'nova.wsgi.osapi_compute', 'OS_NOVA_CONFIG_DIR', None),
)

_LAYOUT_PORTS = {'keystone': 'keystone', 'placement': 'placement',
                 'glance': 'glance', 'neutron-api': 'neutron',
                 'nova-api': 'nova'}


def _say(message):
    print('cloud: %s' % message, flush=True)


class Phases(object):
    """Wall time of each phase, printed as it ends."""

    def __init__(self):
        self.times = []

    def run(self, name, function, *args):
        start = time.monotonic()
        result = function(*args)
        elapsed = time.monotonic() - start
        self.times.append((name, elapsed))
        _say('%-28s %6.1f s' % (name, elapsed))
        return result


def _start_api(layout, processes, name, module, env_name, files):
    service_dir = {'neutron-api': 'neutron', 'nova-api': 'nova'}.get(
        name, name)
    env = {'VRCLOUD_WSGI_APP': module,
           env_name: layout.etc(service_dir),
           'PYTHONPATH': os.path.dirname(os.path.dirname(
               os.path.abspath(__file__)))}
    if name == 'keystone':
        env['OS_KEYSTONE_CONFIG_FILES'] = 'keystone.conf'
    if files:
        env[env_name.replace('_DIR', '_FILES')] = files
    processes.start(name, [
        layout.bin('gunicorn'), '--no-control-socket',
        '--bind', '127.0.0.1:%d' % layout.port(_LAYOUT_PORTS[name]),
        '--workers', '1', '--worker-class', 'gthread', '--threads', '8',
        '--timeout', '600', '--graceful-timeout', '5',
        '--access-logfile', '-', '--error-logfile', '-',
        'vrouter_cloud.wsgi:application'], env=env)


def _wait_http(layout, processes, name, timeout=infra.READY_TIMEOUT):
    import urllib.error
    import urllib.request
    url = layout.url(_LAYOUT_PORTS[name], '/')
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive(name)
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise procs.ServiceFailed('%s does not answer at %s after %d s' % (
        name, url, timeout))


def _start_keystone(layout, processes):
    _start_api(layout, processes, 'keystone', 'keystone.wsgi.api',
               'OS_KEYSTONE_CONFIG_DIR', None)
    _wait_http(layout, processes, 'keystone')


def _start_apis(layout, processes):
    for name, module, env_name, files in _APIS:
        _start_api(layout, processes, name, module, env_name, files)
    for name, _, _, _ in _APIS:
        _wait_http(layout, processes, name)


def _nova_conf(layout):
    return ['--config-file', layout.etc('nova', 'nova.conf')]


def _start_workers(layout, processes):
    processes.start('neutron-rpc', [
        layout.bin('neutron-rpc-server'),
        '--config-file', layout.etc('neutron', 'neutron.conf'),
        '--config-file', layout.etc('neutron', 'ml2_conf.ini')])
    for name in ('nova-conductor', 'nova-scheduler'):
        processes.start(name, [layout.bin(name)] + _nova_conf(layout))
    os.makedirs(layout.port_dir, exist_ok=True)
    processes.start('agent', [
        layout.bin('python'), '-m', 'vrouter_cloud.agent',
        '--port', str(layout.port('agent')),
        '--dhcp-dir', layout.data('dhcp'), layout.port_dir],
        env={'OS_CLIENT_CONFIG_FILE': layout.etc('clouds.yaml')})
    infra.wait_port(processes, 'agent', layout.port('agent'))
    processes.start('nova-compute',
                    [layout.bin('nova-compute')] + _nova_conf(layout))


def _wait_compute(layout, processes, conn, timeout=180.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name in ('nova-conductor', 'nova-scheduler', 'nova-compute',
                     'neutron-rpc'):
            processes.check_alive(name)
        services = [s for s in conn.compute.services()
                    if s.binary == 'nova-compute' and s.state == 'up']
        if services:
            return
        time.sleep(1)
    raise procs.ServiceFailed('nova-compute not up after %d s (see %s)' % (
        timeout, layout.log('nova-compute')))


def _write_openrc(layout, resources):
    path = layout.etc('openrc')
    with open(path, 'w') as f:
        f.write('# source me: the admin account of the vRouter cloud\n'
                'export OS_CLIENT_CONFIG_FILE=%s\n'
                'export OS_CLOUD=vrcloud-admin\n'
                '# virsh without -c: the cloud\'s own libvirtd\n'
                'export LIBVIRT_DEFAULT_URI=\'%s\'\n'
                'export PATH=%s:$PATH\n'
                '# servers on the demo network: --network %s\n' % (
                    layout.etc('clouds.yaml'), infra.libvirt_uri(layout),
                    os.path.dirname(
                        layout.bin('python')), resources['network']))
    return path


def _clear_stale_state(layout, processes):
    """Start from nothing: remove what a cloud never taken down left.

    A cloud whose processes were killed (its session ended, the machine
    rebooted) leaves its databases, its libvirtd's domains and the
    datapath's devices: a new cloud on top of them fails (cells that
    already exist) or inherits servers no one asked for.  A cloud that
    still runs is refused instead: take it down first.
    """
    alive = [name for name in processes.names() if processes.running(name)]
    if alive:
        raise procs.ServiceFailed(
            'a cloud is already up in %s (%s): take it down first' % (
                layout.run_dir, ', '.join(alive)))
    stale = [name for name in ('data', 'pids', 'etc')
             if os.path.exists(layout.path(name))]
    if not stale:
        return
    # The datapath's devices have fixed names: only a cloud of this run
    # directory can have left them (one cloud a host: fixed ports).
    removed = datapath.cleanup()
    for name in stale:
        shutil.rmtree(layout.path(name))
    _say('removed what a cloud not taken down left: %s' % ', '.join(
        ['%s/' % name for name in stale] + removed))


def up(layout):
    processes = procs.Processes(layout)
    phases = Phases()
    _clear_stale_state(layout, processes)
    os.makedirs(layout.path('log'), exist_ok=True)
    config.write_all(layout)
    bootstrap.write_clouds_yaml(layout)
    try:
        phases.run('libvirt', infra.start_libvirt, layout, processes)
        phases.run('mariadb', infra.start_mariadb, layout, processes)
        phases.run('rabbitmq', infra.start_rabbitmq, layout, processes)
        phases.run('database schemas', bootstrap.sync_databases, layout)
        phases.run('keystone', _start_keystone, layout, processes)
        conn = bootstrap.connect(layout)
        phases.run('accounts and catalog', bootstrap.register_services,
                   layout, conn)
        # A new session: the first one's catalog has no services yet.
        conn = bootstrap.connect(layout)
        phases.run('APIs', _start_apis, layout, processes)
        phases.run('agent, RPC and compute', _start_workers, layout,
                   processes)
        phases.run('compute service up', _wait_compute, layout, processes,
                   conn)
        phases.run('discover hosts', bootstrap.discover_hosts, layout)
        resources = phases.run('flavors, images, network',
                               bootstrap.create_resources, layout, conn)
    except Exception as exc:
        _say('up failed: %s' % exc)
        _say('taking down what started; logs stay in %s' %
             layout.path('log'))
        down(layout, keep_logs=True, delete_servers=False)
        raise
    openrc = _write_openrc(layout, resources)
    _say('up in %.0f s; try it: . %s; openstack server create --flavor %s '
         '--image %s --network %s --wait demo1' % (
             sum(t for _, t in phases.times), openrc, bootstrap.FLAVOR,
             bootstrap.IMAGE, bootstrap.DEMO_NETWORK))


def _delete_servers(layout, processes):
    if not (processes.running('nova-api') and
            processes.running('nova-compute')):
        return
    try:
        conn = bootstrap.connect(layout)
        servers = list(conn.compute.servers(all_projects=True))
        for server in servers:
            conn.compute.delete_server(server)
        for server in servers:
            conn.compute.wait_for_delete(server, wait=120)
        if servers:
            _say('deleted %d servers' % len(servers))
    except (openstack.exceptions.SDKException, OSError) as exc:
        # down goes on: stopping the services matters more.
        _say('could not delete the servers: %s' % exc)


def _leftover_domains(uri):
    result = subprocess.run(
        ['virsh', '-q', '-c', uri, 'list', '--all', '--name'],
        capture_output=True, text=True, check=False)
    return [name for name in result.stdout.split()
            if name.startswith('vrcloud-')]


def down(layout, keep_logs=False, delete_servers=True):
    processes = procs.Processes(layout)
    phases = Phases()
    if delete_servers:
        phases.run('delete servers', _delete_servers, layout, processes)
    stopped = []
    for name in reversed(ORDER[1:]):
        if processes.stop(name):
            stopped.append(name)
    for name in processes.names():  # anything else recorded
        if name != 'libvirtd' and processes.stop(name):
            stopped.append(name)
    # Domains nova-compute left (it was stopped, or failed): libvirtd,
    # the last to go, destroys them first.
    uri = infra.libvirt_uri(layout)
    removed = []
    for domain in _leftover_domains(uri):
        subprocess.run(['virsh', '-c', uri, 'destroy', domain],
                       capture_output=True, check=False)
        subprocess.run(['virsh', '-c', uri, 'undefine', '--nvram', domain],
                       capture_output=True, check=False)
        removed.append('domain ' + domain)
    if processes.stop('libvirtd'):
        stopped.append('libvirtd')
    removed += datapath.cleanup()
    shutil.rmtree(layout.path('data'), ignore_errors=True)
    shutil.rmtree(layout.path('pids'), ignore_errors=True)
    shutil.rmtree(layout.path('etc'), ignore_errors=True)
    if not keep_logs:
        shutil.rmtree(layout.path('log'), ignore_errors=True)
    _say('stopped: %s' % (', '.join(stopped) or 'nothing'))
    if removed:
        _say('removed what the services left: %s' % ', '.join(removed))
    return removed


def status(layout):
    processes = procs.Processes(layout)
    for name in processes.names():
        pid = processes.pid(name)
        _say('%-16s %s' % (name, 'pid %d' % pid if pid else 'not running'))


def main(argv=None):
    parser = argparse.ArgumentParser(description='The vRouter test cloud.')
    parser.add_argument('command', choices=('up', 'down', 'status'))
    parser.add_argument('--top', default=os.getcwd(),
                        help='the repository (default: the current '
                             'directory)')
    parser.add_argument('--keep-logs', action='store_true',
                        help='down: keep the run directory\'s logs')
    args = parser.parse_args(argv)
    layout = cloud_layout.Layout(args.top)
    if args.command == 'up':
        try:
            up(layout)
        except procs.ServiceFailed:
            return 1
    elif args.command == 'down':
        down(layout, keep_logs=args.keep_logs)
    else:
        status(layout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
