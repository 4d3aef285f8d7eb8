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

"""A vRouter compute node: its namespaces and everything that runs there.

A node is what a compute host is to an operator, on this one machine:

- its own network namespace, on the management network with an address
  of its own (``underlay``), and its own mount and UTS namespaces: its
  hostname is Nova's hypervisor, the Placement provider and the binding
  host; ``/run`` is its own (a tmpfs); libvirt's directories, the
  instances directory (one path on every node: Nova copies disks to the
  path the source uses) and the ssh client's configuration are the
  node's own directories mounted there.  A process that holds the
  namespaces (``<node>-namespaces``) keeps them while the node lives;
  every service of the node enters them (``netns.enter``);
- libvirtd and virtlogd, listening on the node's address for live
  migration (TCP, no authentication: the management network is the
  cloud's own), with a host UUID of its own (libvirt refuses to migrate
  to a host with its own UUID);
- sshd on the node's address, for the disk copies of cold migration and
  resize (``remote_filesystem_transport = ssh``), with the cloud's key;
- its own stand-in vRouter agent on port 9091 with its own port files,
  and the agent's kernel datapath (``agent``, ``datapath``);
- nova-compute with its own host name, state path and configuration
  (``services.nova.write_compute_config``), from the cloud's virtualenv
  or from another one the node is told to use (``use_compute``: the
  operations job runs stock Nova on a node before its in-place upgrade).

``power_off`` does to the node what a host's reboot does to a compute
node (every domain destroyed, the taps, bridges and VXLAN devices gone
with the kernel's state, every service stopped); ``start`` boots it
again.

Nothing of a node is shared with another node: a move or a cleanup on
one never touches the other's agent, port files or domains.  A DPDK node
(``dpdk_node.DpdkNode``) is a node of its own kind: its libvirt in a
root of its own, vhost-user ports, a forwarder per port.
"""

import json
import os
import shutil
import subprocess
import time

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import netns
from vrouter_cloud import procs
from vrouter_cloud.services import nova
from vrouter_cloud import underlay

# Where libvirt keeps its sockets, state, configuration, logs and cache:
# each node sees its own directories there.
LIBVIRT_DIRS = ('/run/libvirt', '/var/lib/libvirt', '/etc/libvirt',
                '/var/log/libvirt', '/var/cache/libvirt')
SSH_CLIENT_CONFIG = '/etc/ssh/ssh_config'

NAMESPACES = 'namespaces'
VIRTLOGD = 'virtlogd'
LIBVIRTD = 'libvirtd'
SSHD = 'sshd'
AGENT = 'agent'
COMPUTE = 'nova-compute'
# Start order; stop goes the other way.
SERVICES = (NAMESPACES, VIRTLOGD, LIBVIRTD, SSHD, AGENT, COMPUTE)


def set_options(path, options):
    """Set key = value lines of a libvirt configuration file."""
    with open(path) as f:
        lines = [line for line in f
                 if line.split('=')[0].strip() not in options]
    lines += ['%s = %s\n' % (key, value) for key, value in options.items()]
    with open(path, 'w') as f:
        f.writelines(lines)


class Node(object):
    """One compute node of the cloud, with a kernel vRouter.

    :param layout: the cloud's Layout
    :param index: the node's number, from 1
    :param peers: the underlay addresses of the gateway and the other nodes
    """

    # What the node's vRouter is (``nodes/<node>/datapath`` records it).
    DATAPATH = 'kernel'
    # Its availability zone: Nova's default one.
    ZONE = 'nova'

    def __init__(self, layout, index, peers=()):
        self.cloud = layout
        self.layout = layout.node(index)
        self.peers = list(peers)
        self.processes = procs.Processes(layout)
        # time.monotonic() of the last start_compute, for the operations
        # job's measures.
        self.compute_started_at = None

    @property
    def name(self):
        return self.layout.name

    def service(self, name):
        return self.layout.service(name)

    def namespaces_pid(self):
        """The pid of the process that holds the node's namespaces.

        ``/proc/<it>/root`` is the node's file system as its services see
        it (a file system mounted in the node's mount namespace only).

        :raises: procs.ServiceFailed when the node is down
        """
        pid = self.processes.pid(self.service(NAMESPACES))
        if pid is None:
            raise procs.ServiceFailed('%s: its namespaces are gone' %
                                      self.name)
        return pid

    def _enter(self, argv):
        return netns.enter(self.namespaces_pid()) + list(argv)

    def run(self, argv, **kwargs):
        """Run a command on the node (its namespaces); CompletedProcess."""
        return subprocess.run(self._enter(argv), **kwargs)

    def _start(self, name, argv, env=None):
        return self.processes.start(self.service(name), self._enter(argv),
                                    env=env)

    # Set-up.

    def prepare(self, ssh):
        """The node's directories and configuration files.

        :param ssh: the cloud's CloudSsh (keys, known hosts)
        """
        for path in (self.layout.etc, self.layout.port_dir,
                     self.layout.instances, self.layout.state_path,
                     self.cloud.instances_path):
            os.makedirs(path, exist_ok=True)
        for path in LIBVIRT_DIRS:
            os.makedirs(self.layout.libvirt_dir(path), exist_ok=True)
        with open(self.layout.path('datapath'), 'w') as f:
            f.write(self.DATAPATH + '\n')
        etc_libvirt = self.layout.libvirt_dir('/etc/libvirt')
        # The daemons' configuration files only: the subdirectories hold
        # the host's domains and networks.
        config = self.libvirt_config()
        for name in os.listdir(config):
            source = os.path.join(config, name)
            if os.path.isfile(source):
                shutil.copy2(source, etc_libvirt)
        address = '"%s"' % self.layout.address
        set_options(os.path.join(etc_libvirt, 'libvirtd.conf'), {
            'listen_tls': '0', 'listen_tcp': '1', 'auth_tcp': '"none"',
            'listen_addr': address,
            'host_uuid': '"%s"' % self.layout.host_uuid})
        set_options(os.path.join(etc_libvirt, 'qemu.conf'), {
            'migration_address': address, 'migration_host': address})
        ssh.write_node_files(self.layout)
        nova.write_compute_config(self.cloud, self.layout,
                                  options=self.compute_options())

    def libvirt_config(self):
        """Where the node's libvirt configuration files are copied from."""
        return '/etc/libvirt'

    @property
    def vhostuser_socket_dir(self):
        """Where the host sees the node's vhost-user sockets, or None (a
        kernel node has none).
        """
        return None

    def compute_options(self):
        """What nova-compute needs beyond a kernel node's options.

        :returns: {section: {option: value}}
        """
        return {}

    @staticmethod
    def _binds(binds):
        """Shell commands that bind each (source, target)."""
        commands = []
        for source, target in binds:
            if os.path.isdir(source):
                commands.append('mkdir -p %s' % target)
            commands.append('mount --bind %s %s' % (source, target))
        return commands

    def _mounts(self):
        """Shell commands that make the node's mount namespace."""
        return ['hostname %s' % self.name,
                # A /run of its own: pid files, sockets, sshd's privilege
                # separation directory.
                'mount -t tmpfs -o mode=0755 vrcloud-run /run',
                'mkdir -p /run/sshd /run/lock'] + self._binds(
            [(self.layout.libvirt_dir(path), path)
             for path in LIBVIRT_DIRS] +
            [(self.layout.instances, self.cloud.instances_path),
             (self.layout.path('ssh', 'ssh_config'), SSH_CLIENT_CONFIG)])

    def _holder_script(self):
        return 'set -e; %s; echo ready; exec sleep infinity' % '; '.join(
            self._mounts())

    def _libvirt(self, program):
        """The argv that runs one of libvirt's daemons on the node."""
        return [program]

    def _agent_options(self):
        return []

    # Life cycle.

    def start(self):
        """Start the node's services, nova-compute last."""
        underlay.attach(self.layout.netns, self.layout.address)
        name = self.service(NAMESPACES)
        self.processes.start(name, [
            'ip', 'netns', 'exec', self.layout.netns,
            'unshare', '--mount', '--uts', '--propagation', 'private', '--',
            'sh', '-c', self._holder_script()])
        procs.wait_line(self.processes, name, 'ready', timeout=30)
        self._start(VIRTLOGD, self._libvirt('virtlogd'))
        self._start(LIBVIRTD, self._libvirt('libvirtd') + ['--listen'])
        self._wait_libvirt()
        self._start(SSHD, ['/usr/sbin/sshd', '-D', '-e', '-f',
                           self.layout.path('ssh', 'sshd_config')])
        procs.wait_port(self.processes, self.service(SSHD),
                        self.layout.address, 22)
        self.start_agent()
        self.start_compute()

    def _wait_libvirt(self):
        deadline = time.monotonic() + procs.READY_TIMEOUT
        while subprocess.run(['virsh', '-c', self.layout.libvirt_uri,
                              'version'], capture_output=True).returncode:
            self.processes.check_alive(self.service(LIBVIRTD))
            if time.monotonic() > deadline:
                raise procs.ServiceFailed('%s does not answer' %
                                          self.layout.libvirt_uri)
            time.sleep(0.5)

    def start_agent(self):
        argv = [self.cloud.bin('python'), '-m', 'vrouter_cloud.agent',
                '--local', self.layout.address] + self._agent_options()
        for peer in self.peers:
            argv += ['--peer', peer]
        name = self.service(AGENT)
        self._start(AGENT, argv + [self.layout.port_dir],
                    env={'OS_CLIENT_CONFIG_FILE':
                         self.cloud.etc('clouds.yaml')})
        procs.wait_line(self.processes, name,
                        'listening %d' % cloud_layout.AGENT_PORT)

    def stop_agent(self, kill=False):
        return self.processes.stop(self.service(AGENT), kill=kill)

    def _compute_settings(self):
        try:
            with open(self.layout.compute_settings) as f:
                return json.load(f)
        except FileNotFoundError:
            return {'venv': self.cloud.venv, 'env': {}}

    def use_compute(self, venv=None, env=None):
        """Run nova-compute from venv (default: the cloud's), with env.

        From the next start of nova-compute on (kept in the node's
        directory, so that every Node of the run directory agrees): its
        nova.conf is written again, for that virtualenv's privileged
        helper.

        :param venv: a virtualenv holding Nova
        :param env: {name: value} to add to nova-compute's environment
        """
        if venv is None:
            if os.path.exists(self.layout.compute_settings):
                os.unlink(self.layout.compute_settings)
        else:
            with open(self.layout.compute_settings, 'w') as f:
                json.dump({'venv': venv, 'env': env or {}}, f)
        nova.write_compute_config(self.cloud, self.layout, venv=venv,
                                  options=self.compute_options())

    def start_compute(self):
        settings = self._compute_settings()
        self.compute_started_at = time.monotonic()
        self._start(COMPUTE, [os.path.join(settings['venv'], 'bin',
                                           'nova-compute'),
                              '--config-file', self.layout.nova_conf],
                    env=settings['env'])

    def stop_compute(self, kill=False):
        return self.processes.stop(self.service(COMPUTE), kill=kill)

    def domains(self, running_only=False):
        """The cloud's domains on this node's libvirtd (all, or those that
        run).
        """
        which = [] if running_only else ['--all']
        result = subprocess.run(
            ['virsh', '-q', '-c', self.layout.libvirt_uri, 'list'] + which +
            ['--name'], capture_output=True, text=True, check=False)
        prefix = cloud_layout.DOMAIN_TEMPLATE.split('%')[0]
        return [name for name in result.stdout.split()
                if name.startswith(prefix)]

    def power_off(self):
        """What a reboot does to the host: everything of the node goes.

        nova-compute and the agent die where they are (SIGKILL), every
        domain is destroyed (its QEMU killed; libvirt keeps its
        definition, as on a host that reboots), the other services stop,
        and the node's network namespace is deleted with everything the
        kernel held in it (taps, the datapath's bridges and VXLAN
        devices, as a reboot loses the vRouter module's state).  The
        node's /run/libvirt, a tmpfs on a real host, is emptied.  The
        node's directories (port files, instances, libvirt's
        definitions) stay, as its disk does.  ``start`` boots it again.

        :raises: underlay.VethLingers when a process (a QEMU that virsh
            could not destroy) keeps the network namespace alive
        """
        self.stop_compute(kill=True)
        self.stop_agent(kill=True)
        if self.processes.running(self.service(LIBVIRTD)):
            for domain in self.domains():
                subprocess.run(['virsh', '-c', self.layout.libvirt_uri,
                                'destroy', domain], capture_output=True,
                               check=False, timeout=60)
        for name in (SSHD, LIBVIRTD, VIRTLOGD, NAMESPACES):
            self.processes.stop(self.service(name), kill=True)
        underlay.detach(self.layout.netns)
        run_libvirt = self.layout.libvirt_dir('/run/libvirt')
        for entry in os.listdir(run_libvirt):
            path = os.path.join(run_libvirt, entry)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)

    def stop(self):
        """Stop everything of the node; (stopped services, removed things).

        Domains nova-compute left (it was stopped, or failed) are
        destroyed before libvirtd goes.
        """
        stopped, removed = [], []
        for name in (COMPUTE, AGENT, SSHD):
            if self.processes.stop(self.service(name)):
                stopped.append(self.service(name))
        if self.processes.running(self.service(LIBVIRTD)):
            for domain in self.domains():
                for command in (['destroy', domain],
                                ['undefine', '--nvram', domain]):
                    subprocess.run(['virsh', '-c', self.layout.libvirt_uri] +
                                   command, capture_output=True, check=False)
                removed.append('domain %s on %s' % (domain, self.name))
        for name in (LIBVIRTD, VIRTLOGD, NAMESPACES):
            if self.processes.stop(self.service(name)):
                stopped.append(self.service(name))
        if netns.delete(self.layout.netns):
            removed.append('netns ' + self.layout.netns)
        return stopped, removed
