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

"""A compute node with a DPDK vRouter: vhost-user ports, testpmd.

A kernel node (``node.Node``) with three differences, as
``doc/source/contributor/dpdk-node.rst`` measured them:

- libvirtd, virtlogd and QEMU are bookworm-backports' libvirt 11 and
  QEMU 10, from the Debian root that ``functional-backports`` uses
  (``tools/functional-backports-root``; Debian 12's QEMU 7.2 under TCG
  crashes as soon as a guest drives a vhost-user device), chrooted in the
  node's namespaces.  The node's own libvirt directories are bound over
  the root's, the repository (and with it the run directory and the
  instances) at its own path inside it, and ``/run/vrouter``, where QEMU
  serves each port's vhost-user socket, is the node's ``/run/vrouter``
  both inside the root and outside it.  nova-compute (the cloud's
  virtualenv) reaches that libvirtd through its socket's path;
- the guests' memory is file-backed (``[libvirt] file_backed_memory``:
  vhost-user needs it shared with the vRouter), on a tmpfs of the node
  at libvirt's memory backing directory; hugepage flavors would need
  pages reserved host-wide on a machine shared with other jobs;
- the agent runs in DPDK mode: for each vhost-user port it has, a
  ``dpdk-testpmd`` joins the socket (as its client: QEMU is the server)
  to a tap on the port's network segment (``datapath``).

The ML2 driver binds the node's ports ``vhostuser`` with
``vhostuser_vrouter_plug`` (``[vrouter_test] dpdk_hosts``), as the
controller does for a DPDK host.
"""

import os
import subprocess

from vrouter_cloud import node as cloud_node
from vrouter_cloud import procs

# The backports root (tools/functional-backports-root builds it).
ROOT = os.path.join('.functional-build', 'backports', 'root')
# Guests' memory files: libvirt's default memory_backing_dir.
MEMORY_DIR = '/var/lib/libvirt/qemu/ram'
# MiB of guest memory the node offers (the tmpfs's size).
FILE_BACKED_MEMORY_MB = 2048
SOCKET_DIR = '/run/vrouter'
# The availability zone of the DPDK nodes.
ZONE = 'dpdk'
_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'


def root(layout):
    """The backports root of a cloud's repository."""
    return os.path.join(layout.top, ROOT)


def prepare_root(layout):
    """The backports root, built if needed, its accounts the host's."""
    log = layout.log('backports-root')
    with open(log, 'ab') as out:
        for argv, env in (
                ([os.path.join(layout.top, 'tools',
                               'functional-backports-root'), root(layout)],
                 None),
                (['python3', '-m', 'vrouter_functional.root_accounts',
                  root(layout)],
                 dict(os.environ, PYTHONPATH=os.path.join(
                     layout.top, 'functional')))):
            if subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT,
                              env=env).returncode:
                raise procs.ServiceFailed('%s failed (see %s)' % (
                    ' '.join(argv), log))


class DpdkNode(cloud_node.Node):
    """A compute node of the cloud with a DPDK vRouter (see module doc)."""

    DATAPATH = 'dpdk'

    @property
    def root(self):
        return root(self.cloud)

    def libvirt_config(self):
        return os.path.join(self.root, 'etc', 'libvirt')

    @staticmethod
    def chroot_argv(root):
        """The words that run a command in root, without the host's
        environment.
        """
        return ['chroot', root, 'env', '-i', _PATH, 'HOME=/root']

    def chroot(self, argv):
        return self.chroot_argv(self.root) + list(argv)

    def prepare(self, ssh):
        super().prepare(ssh)
        with open(self.layout.path('hosts'), 'w') as f:
            # libvirtd looks its own name up at each connection, and
            # waits for DNS if the root's /etc/hosts lacks it.
            f.write('127.0.0.1 localhost\n127.0.1.1 %s\n' % self.name)
        with open(self.layout.path('hostname'), 'w') as f:
            f.write(self.name + '\n')

    def compute_options(self):
        return {
            'DEFAULT': {
                # Nova refuses file-backed memory otherwise.
                'ram_allocation_ratio': 1.0,
                'reserved_host_memory_mb': 0,
            },
            'libvirt': {
                # The root's libvirtd, by its socket's path: the host's
                # /run/libvirt is not the root's.
                'connection_uri': self.layout.libvirt_uri,
                'file_backed_memory': FILE_BACKED_MEMORY_MB,
            },
        }

    def _mounts(self):
        top = self.cloud.top
        root = self.root
        commands = super()._mounts()
        commands += [
            'mkdir -p %s' % SOCKET_DIR,
            # The root a mount point of this namespace: libvirt (QEMU's
            # namespace) changes the propagation of /.
            'mount --bind %s %s' % (root, root),
            'mount -t proc proc %s/proc' % root,
            'mount --rbind /sys %s/sys' % root,
            'mount --rbind /dev %s/dev' % root,
            # Terminals of the root's own (the serial console's pty).
            'mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts '
            '%s/dev/pts' % root,
            'mount --bind %s/dev/pts/ptmx %s/dev/ptmx' % (root, root),
            'mount -t tmpfs -o mode=755 vrcloud-run %s/run' % root,
            # A /dev/kvm of the root's own, in its kvm group (0660): libvirt
            # probes QEMU with CAP_DAC_OVERRIDE but checks /dev/kvm as its
            # QEMU user, and probes again at every look (seconds each)
            # when only root may open the host's.
            'if [ -c /dev/kvm ]; then '
            'mknod -m 0660 %s/run/kvm-device c '
            '$((0x$(stat -c %%t /dev/kvm))) $((0x$(stat -c %%T /dev/kvm))); '
            'chroot %s chgrp kvm /run/kvm-device; '
            'mount --bind %s/run/kvm-device %s/dev/kvm; fi' % (
                root, root, root, root),
            'mkdir -p %s/run/lock %s/run/dpdk %s%s' % (
                root, root, root, SOCKET_DIR),
            'mount --bind %s %s%s' % (SOCKET_DIR, root, SOCKET_DIR),
            'chroot %s chown libvirt-qemu:kvm %s' % (root, SOCKET_DIR),
            'mount -t tmpfs -o mode=1777 tmpfs %s/tmp' % root,
            'mount -t tmpfs -o size=%dm,mode=0755 vrcloud-ram %s%s' % (
                FILE_BACKED_MEMORY_MB, root, MEMORY_DIR),
            'mkdir -p %s%s' % (root, top),
            # With the node's mounts under it: the instances directory.
            'mount --rbind %s %s%s' % (top, root, top),
        ]
        commands += ['touch %s/etc/hosts %s/etc/hostname' % (root, root)]
        commands += self._binds(
            [(self.layout.path(name), '%s/etc/%s' % (root, name))
             for name in ('hosts', 'hostname')] +
            [(self.layout.libvirt_dir(path), root + path)
             for path in cloud_node.LIBVIRT_DIRS])
        return commands

    def _libvirt(self, program):
        return self.chroot([program])

    def _agent_options(self):
        return ['--dpdk-root', self.root]
