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

"""Bring the cloud up, take it down, say what runs, act on a node.

    python -m vrouter_cloud.cloud [--top TOP] up [--nodes N]
        [--dpdk-nodes M [--default-zone dpdk]]
    python -m vrouter_cloud.cloud [--top TOP] down [--keep-logs]
    python -m vrouter_cloud.cloud [--top TOP] status
    python -m vrouter_cloud.cloud [--top TOP] node NODE ACTION

``up`` makes the management network and the gateway namespace
(``underlay``), starts the control plane's services in order (each
module of ``vrouter_cloud.services``) and waits until each answers, then
the gateway (``gateway``), N compute nodes with a kernel vRouter
(``node``, default 2) and M with a DPDK vRouter (``dpdk_node``, default
none; availability zone ``dpdk``, where ``--default-zone`` sends the
servers that name no zone), and writes ``etc/clouds.yaml`` (clouds
``vrcloud-admin`` and
``vrcloud-demo``), ``etc/openrc`` and ``etc/nodes.json`` (the nodes, for
tempest's plugin) into the run directory; if a step fails it takes down
what it started and keeps the logs.  ``down`` deletes the servers, stops
every node and every service it finds recorded (by pid, last started
first), removes what the cloud left on the host (domains, namespaces,
devices) and the run directory's data; the logs stay with
``--keep-logs``.  ``node`` stops, kills or starts one node's
nova-compute or agent (``stop-compute``, ``kill-compute``,
``start-compute``, ``stop-agent``, ``kill-agent``, ``start-agent``), as
an operator or a failure would.  Each phase's wall time is printed.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import stat
import sys
import time

import openstack

from vrouter_cloud import bootstrap
from vrouter_cloud import dpdk_node
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import node as cloud_node
from vrouter_cloud import procs
from vrouter_cloud.services import glance
from vrouter_cloud.services import keystone
from vrouter_cloud.services import mariadb
from vrouter_cloud.services import neutron
from vrouter_cloud.services import nova
from vrouter_cloud.services import placement
from vrouter_cloud.services import rabbitmq
from vrouter_cloud import ssh as cloud_ssh
from vrouter_cloud import underlay

GATEWAY = 'gateway'
# The control plane's services in start order; down stops them in
# reverse, after the nodes.
CONTROL = (mariadb.NAME, rabbitmq.EPMD, rabbitmq.NAME, keystone.NAME,
           placement.NAME, glance.NAME, neutron.API, nova.API, nova.METADATA,
           neutron.RPC, nova.CONDUCTOR, nova.SCHEDULER, GATEWAY)
NODE_ACTIONS = ('stop-compute', 'kill-compute', 'start-compute',
                'stop-agent', 'kill-agent', 'start-agent')


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


def node_indexes(layout):
    """The numbers of the nodes the run directory has."""
    try:
        names = os.listdir(layout.path('nodes'))
    except FileNotFoundError:
        return []
    pattern = re.compile(re.escape(cloud_layout.NODE_NAME_TEMPLATE).replace(
        '%d', r'(\d+)') + '$')
    return sorted(int(m.group(1)) for m in map(pattern.match, names) if m)


def _datapath(layout, index):
    try:
        with open(layout.node(index).path('datapath')) as f:
            return f.read().strip()
    except FileNotFoundError:
        return cloud_node.Node.DATAPATH


def nodes(layout, count=None, dpdk=0):
    """The Nodes of the cloud.

    :param count: kernel nodes to make, then dpdk DPDK nodes; None: the
        nodes the run directory has, each of the kind it recorded
    """
    if count is not None:
        kinds = [cloud_node.Node] * count + [dpdk_node.DpdkNode] * dpdk
        indexes = list(range(1, len(kinds) + 1))
    else:
        indexes = node_indexes(layout)
        kinds = [_NODE_KINDS[_datapath(layout, i)] for i in indexes]
    addresses = [cloud_layout.node_address(i) for i in indexes]
    return [kind(
        layout, index, [cloud_layout.GATEWAY_ADDRESS] +
        [a for a in addresses if a != cloud_layout.node_address(index)])
        for kind, index in zip(kinds, indexes)]


_NODE_KINDS = {cloud_node.Node.DATAPATH: cloud_node.Node,
               dpdk_node.DpdkNode.DATAPATH: dpdk_node.DpdkNode}


def _check_reachable(layout):
    """QEMU opens the instances' disks under the run directory."""
    blocked = cloud_layout.unreachable_by(layout.instances_path,
                                          cloud_layout.QEMU_USER)
    if blocked:
        raise procs.ServiceFailed(
            'QEMU runs as %s and cannot enter %s (mode %o), on the way to '
            'the instances directory %s: clone the repository where that '
            'user can traverse every directory, or set VRCLOUD_RUN_DIR to '
            'such a directory (for example /var/tmp/vrcloud)' % (
                cloud_layout.QEMU_USER, blocked,
                stat.S_IMODE(os.stat(blocked).st_mode),
                layout.instances_path))


def _clear_stale_state(layout, processes):
    """Start from nothing: remove what a cloud never taken down left.

    A cloud whose processes were killed (its session ended, the machine
    rebooted) leaves its databases, its namespaces and devices: a new
    cloud on top of them fails (cells that already exist) or inherits
    servers no one asked for.  A cloud that still runs is refused
    instead: take it down first.
    """
    alive = [name for name in processes.names() if processes.running(name)]
    if alive:
        raise procs.ServiceFailed(
            'a cloud is already up in %s (%s): take it down first' % (
                layout.run_dir, ', '.join(alive)))
    stale = [name for name in _STATE if os.path.exists(layout.path(name))]
    if not stale:
        return
    # The namespaces and devices have fixed names: only a cloud of this
    # run directory can have left them (one cloud a host: fixed ports).
    removed = underlay.cleanup()
    for name in stale:
        shutil.rmtree(layout.path(name))
    _say('removed what a cloud not taken down left: %s' % ', '.join(
        ['%s/' % name for name in stale] + removed))


# What a cloud keeps in its run directory besides its logs.
_STATE = ('data', 'pids', 'etc', 'nodes', 'instances', 'ssh')


def _sync_databases(layout):
    """Every service's schema; two at a time (two cores)."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(module.sync, layout) for module in
                       (keystone, nova, neutron, glance, placement)]:
            future.result()


def _start_apis(layout, processes):
    for module in (placement, glance, neutron, nova):
        module.start(layout, processes)
    for module in (placement, glance, neutron, nova):
        module.wait(layout, processes)


def _start_workers(layout, processes):
    neutron.start_rpc(layout, processes)
    nova.start_workers(layout, processes)


def _start_gateway(layout, processes, cloud_nodes):
    argv = [layout.bin('python'), '-m', 'vrouter_cloud.gateway',
            '--local', cloud_layout.GATEWAY_ADDRESS,
            '--state-dir', layout.data('gateway'),
            '--metadata-upstream', layout.url('nova-metadata'),
            '--metadata-secret', layout.metadata_secret]
    for cloud_node_ in cloud_nodes:
        argv += ['--peer', cloud_node_.layout.address]
    processes.start(GATEWAY, argv, env={
        'OS_CLIENT_CONFIG_FILE': layout.etc('clouds.yaml')})
    procs.wait_line(processes, GATEWAY, 'ready')


def _start_node(cloud_node_, cloud_ssh_):
    cloud_node_.prepare(cloud_ssh_)
    cloud_node_.start()


def _wait_computes(layout, processes, conn, cloud_nodes, timeout=180.0):
    wanted = set(n.name for n in cloud_nodes)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name in (nova.CONDUCTOR, nova.SCHEDULER, neutron.RPC):
            processes.check_alive(name)
        for cloud_node_ in cloud_nodes:
            processes.check_alive(cloud_node_.service(cloud_node.COMPUTE))
        up = set(s.host for s in conn.compute.services()
                 if s.binary == 'nova-compute' and s.state == 'up')
        if wanted <= up:
            return
        time.sleep(1)
    raise procs.ServiceFailed('nova-compute not up on %s after %d s' % (
        ', '.join(sorted(wanted - up)), timeout))


def _write_nodes_file(layout, cloud_nodes):
    """etc/nodes.json: what tempest's plugin needs of each node."""
    entries = [{
        'host': n.name,
        'datapath': n.DATAPATH,
        'zone': n.ZONE,
        'address': n.layout.address,
        'agent_url': n.layout.agent_url,
        'port_dir': n.layout.port_dir,
        'libvirt_uri': n.layout.libvirt_uri,
        'netns': n.layout.netns,
        'vhostuser_socket_dir': n.vhostuser_socket_dir,
    } for n in cloud_nodes]
    with open(layout.nodes_file, 'w') as f:
        json.dump({
            'nodes': entries,
            # Acts on a node: append the node's host and an action.
            'node_command': [layout.bin('python'), '-m',
                             'vrouter_cloud.cloud', '--top', layout.top,
                             'node'],
        }, f, indent=2)


def _write_openrc(layout, resources, cloud_nodes):
    path = layout.etc('openrc')
    lines = ['# source me: the admin account of the vRouter cloud',
             'export OS_CLIENT_CONFIG_FILE=%s' % layout.etc('clouds.yaml'),
             'export OS_CLOUD=vrcloud-admin',
             'export PATH=%s:$PATH' % os.path.dirname(layout.bin('python')),
             '# virsh without -c: the first node\'s libvirtd',
             "export LIBVIRT_DEFAULT_URI='%s'" % (
                 cloud_nodes[0].layout.libvirt_uri),
             '# each node\'s libvirtd: virsh -c "$VRCLOUD_<NODE>"']
    for cloud_node_ in cloud_nodes:
        lines.append("export VRCLOUD_%s='%s'" % (
            cloud_node_.name.split('-')[-1].upper(),
            cloud_node_.layout.libvirt_uri))
    lines.append('# servers on the demo network: --network %s' %
                 resources['network'])
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def up(layout, count=cloud_layout.DEFAULT_NODES, dpdk=0, zone=None):
    """Bring the cloud up.

    :param count: kernel nodes
    :param dpdk: DPDK nodes (after the kernel ones), in the availability
        zone ``dpdk``
    :param zone: the availability zone of servers that ask for none
        (Nova's default_schedule_zone)
    """
    if count < 0 or dpdk < 0:
        raise procs.ServiceFailed('node counts cannot be negative (%d '
                                  'kernel, %d DPDK)' % (count, dpdk))
    if zone == dpdk_node.ZONE and not dpdk:
        raise procs.ServiceFailed('servers cannot go to zone %s by default '
                                  'without a DPDK node' % zone)
    if not 1 <= count + dpdk <= cloud_layout.MAX_NODES:
        raise procs.ServiceFailed('a cloud has 1 to %d nodes, not %d' % (
            cloud_layout.MAX_NODES, count + dpdk))
    processes = procs.Processes(layout)
    phases = Phases()
    _clear_stale_state(layout, processes)
    _check_reachable(layout)
    _say('run directory %s' % layout.run_dir)
    os.makedirs(layout.path('log'), exist_ok=True)
    cloud_nodes = nodes(layout, count, dpdk)
    dpdk_hosts = [n.name for n in cloud_nodes
                  if n.DATAPATH == dpdk_node.DpdkNode.DATAPATH]
    for module in (keystone, placement, glance):
        module.write_config(layout)
    neutron.write_config(layout, dpdk_hosts)
    nova.write_config(layout, {cloud_node.Node.ZONE: count,
                               dpdk_node.ZONE: dpdk}, default_zone=zone)
    bootstrap.write_clouds_yaml(layout)
    cloud_ssh_ = cloud_ssh.CloudSsh(layout)
    cloud_ssh_.make([n.layout for n in cloud_nodes])
    try:
        phases.run('management network', _setup_network)
        phases.run('mariadb', mariadb.start, layout, processes)
        phases.run('rabbitmq', rabbitmq.start, layout, processes)
        phases.run('database schemas', _sync_databases, layout)
        phases.run('keystone', keystone.start, layout, processes)
        conn = bootstrap.connect(layout)
        phases.run('accounts and catalog', keystone.register, layout, conn)
        # A new session: the first one's catalog has no services yet.
        conn = bootstrap.connect(layout)
        phases.run('APIs', _start_apis, layout, processes)
        phases.run('RPC, conductor, scheduler', _start_workers, layout,
                   processes)
        phases.run('gateway', _start_gateway, layout, processes,
                   cloud_nodes)
        if dpdk_hosts:
            phases.run('backports root', dpdk_node.prepare_root, layout)
        for cloud_node_ in cloud_nodes:
            phases.run(cloud_node_.name, _start_node, cloud_node_,
                       cloud_ssh_)
        phases.run('compute services up', _wait_computes, layout,
                   processes, conn, cloud_nodes)
        phases.run('discover hosts', nova.discover_hosts, layout)
        if dpdk_hosts:
            phases.run('DPDK zone', bootstrap.make_zone, conn,
                       dpdk_node.ZONE, dpdk_hosts)
        resources = phases.run('flavors, images, networks',
                               bootstrap.create_resources, layout, conn)
    except Exception as exc:
        _say('up failed: %s' % exc)
        _say('taking down what started; logs stay in %s' %
             layout.path('log'))
        down(layout, keep_logs=True, delete_servers=False)
        raise
    _write_nodes_file(layout, cloud_nodes)
    openrc = _write_openrc(layout, resources, cloud_nodes)
    _say('up in %.0f s with %d nodes; try it: . %s; openstack server create '
         '--flavor %s --image %s --network %s --wait demo1' % (
             sum(t for _, t in phases.times), count + dpdk, openrc,
             bootstrap.FLAVOR, bootstrap.IMAGE, bootstrap.DEMO_NETWORK))
    if dpdk_hosts:
        _say('a server on a DPDK node: the same with --availability-zone '
             '%s' % dpdk_node.ZONE)


def _setup_network():
    underlay.setup_host()
    underlay.attach(cloud_layout.GATEWAY_NETNS, cloud_layout.GATEWAY_ADDRESS)
    underlay.route_to_gateway()


def _delete_servers(layout, processes):
    if not processes.running(nova.API):
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


def down(layout, keep_logs=False, delete_servers=True):
    processes = procs.Processes(layout)
    phases = Phases()
    if delete_servers:
        phases.run('delete servers', _delete_servers, layout, processes)
    stopped, removed = [], []
    lingering = {}  # service -> pids still there after SIGKILL
    for cloud_node_ in nodes(layout):
        node_stopped, node_removed = cloud_node_.stop()
        stopped += node_stopped
        removed += node_removed
        lingering.update(cloud_node_.processes.lingering)
    for name in reversed(CONTROL):
        if processes.stop(name):
            stopped.append(name)
    lingering.update(processes.lingering)
    # Anything else recorded; a lingering service keeps its record, and
    # stopping it again would only wait out its timeouts once more.
    for name in processes.names():
        if name not in lingering and processes.stop(name):
            stopped.append(name)
    lingering.update(processes.lingering)
    removed += underlay.cleanup()
    for name in _STATE:
        shutil.rmtree(layout.path(name), ignore_errors=True)
    if not keep_logs:
        shutil.rmtree(layout.path('log'), ignore_errors=True)
    try:
        os.rmdir(layout.run_dir)  # only if nothing is left in it
    except OSError:
        pass
    _say('stopped: %s' % (', '.join(stopped) or 'nothing'))
    if removed:
        _say('removed what the services left: %s' % ', '.join(removed))
    if lingering:
        raise procs.ServicesLinger(
            'still there %d s after SIGKILL (uninterruptible?): %s' % (
                procs.KILL_TIMEOUT, ', '.join(
                    '%s (pids %s)' % (name, ' '.join(map(str, pids)))
                    for name, pids in sorted(lingering.items()))))
    return removed


def status(layout):
    processes = procs.Processes(layout)
    for name in processes.names():
        pid = processes.pid(name)
        _say('%-28s %s' % (name, 'pid %d' % pid if pid else 'not running'))


def node_action(layout, name, action):
    """Stop, kill or start one node's nova-compute or agent."""
    for cloud_node_ in nodes(layout):
        if cloud_node_.name == name:
            break
    else:
        raise procs.ServiceFailed('no node %s in %s' % (
            name, layout.run_dir))
    verb, what = action.split('-')
    if verb == 'start':
        getattr(cloud_node_, {'compute': 'start_compute',
                              'agent': 'start_agent'}[what])()
    else:
        stop = {'compute': cloud_node_.stop_compute,
                'agent': cloud_node_.stop_agent}[what]
        if not stop(kill=verb == 'kill'):
            _say('%s: %s was not running' % (name, what))


def main(argv=None):
    parser = argparse.ArgumentParser(description='The vRouter test cloud.')
    parser.add_argument('--top', default=os.getcwd(),
                        help='the repository (default: the current '
                             'directory)')
    commands = parser.add_subparsers(dest='command', required=True)
    up_parser = commands.add_parser('up', help='bring the cloud up')
    up_parser.add_argument(
        '--nodes', type=int, default=int(os.environ.get(
            'VRCLOUD_NODES', cloud_layout.DEFAULT_NODES)),
        help='kernel vRouter compute nodes (default: $VRCLOUD_NODES or '
             '%d)' % cloud_layout.DEFAULT_NODES)
    up_parser.add_argument(
        '--dpdk-nodes', type=int, default=int(os.environ.get(
            'VRCLOUD_DPDK_NODES', 0)),
        help='DPDK vRouter compute nodes after them, in availability zone '
             '%s (default: $VRCLOUD_DPDK_NODES or 0)' % dpdk_node.ZONE)
    up_parser.add_argument(
        '--default-zone', choices=(dpdk_node.ZONE,),
        help='servers that ask for no availability zone go there (a '
             'tempest run that targets the DPDK nodes)')
    down_parser = commands.add_parser('down', help='take the cloud down')
    down_parser.add_argument('--keep-logs', action='store_true',
                             help='keep the run directory\'s logs')
    commands.add_parser('status', help='the services and their pids')
    node_parser = commands.add_parser(
        'node', help='stop, kill or start a node\'s nova-compute or agent')
    node_parser.add_argument('node', help='its host name (vrcloud-node1)')
    node_parser.add_argument('action', choices=NODE_ACTIONS)
    args = parser.parse_args(argv)
    layout = cloud_layout.Layout(args.top)
    try:
        if args.command == 'up':
            up(layout, args.nodes, args.dpdk_nodes, args.default_zone)
        elif args.command == 'down':
            down(layout, keep_logs=args.keep_logs)
        elif args.command == 'node':
            node_action(layout, args.node, args.action)
        else:
            status(layout)
    except procs.ServiceFailed as exc:
        _say(str(exc))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
