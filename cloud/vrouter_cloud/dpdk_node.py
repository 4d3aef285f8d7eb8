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

A kernel node (``node.Node``) with these differences, as
``doc/source/contributor/dpdk-node.rst`` measured them:

- libvirtd, virtlogd and QEMU are bookworm-backports' libvirt 11 and
  QEMU 10, from the Debian root that ``functional-backports`` uses
  (``tools/functional-backports-root``; Debian 12's QEMU 7.2 under TCG
  crashes as soon as a guest drives a vhost-user device), chrooted in the
  node's namespaces; nova-compute and the agent stay outside the root
  (the cloud's virtualenv).  What both sides must see at one path is
  bound into the root from the node's own directories: libvirt's
  directories (``/run/libvirt`` holds the socket nova-compute connects
  to), the instances directory, and ``/run/vrouter``, where QEMU serves
  each port's vhost-user socket (the node's ``vhostuser`` directory, so
  that the host sees the sockets too);
- the guests' memory is file-backed (``[libvirt] file_backed_memory``:
  vhost-user needs it shared with the vRouter), on a tmpfs of the node's
  at the memory backing directory, sized as the memory Nova offers;
  hugepage flavors would need pages reserved host-wide on a machine
  shared with other jobs (doc/source/admin/dpdk.rst says more);
- the agent runs in DPDK mode: a forwarder per vhost-user port
  (``vhostuser_plane``), inside the root, joins the socket (as its
  client: QEMU is the server) to a tap on the port's network segment
  (``datapath``); the port files are replayed whatever devices exist.

The ML2 driver binds the node's ports ``vhostuser`` with
``vhostuser_vrouter_plug`` (``[vrouter_test] dpdk_hosts``), as the
controller does for a DPDK host.  The node is in the availability zone
``ZONE``.

Who runs as whom: everything of the node runs as root (the cloud does)
but QEMU, which libvirtd runs as ``libvirt-qemu``; QEMU creates the
sockets, so their directory is that user's.  The root's accounts of
libvirt and QEMU have the host's ids (``prepare_root``), so an owner set
from the host means the same user inside the root.
"""

import os
import pwd
import subprocess

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import node as cloud_node
from vrouter_cloud import procs

# The backports root (tools/functional-backports-root builds it).
ROOT = os.path.join('.functional-build', 'backports', 'root')
# Building it from nothing downloads and installs a Debian system.
ROOT_TIMEOUT = 1800
# Where QEMU keeps the guests' memory files (qemu.conf's
# memory_backing_dir, libvirt's default).
MEMORY_DIR = '/var/lib/libvirt/qemu/ram'
# MiB of guest memory the node offers (Nova's file_backed_memory), and
# the size of the tmpfs that holds it.
FILE_BACKED_MEMORY_MB = 2048
# VHOSTUSER_SOCKET_DIR where it is mounted (/var/run is a link to /run,
# on the host and in the root).
SOCKET_MOUNT = '/run/vrouter'
# The availability zone of the DPDK nodes.
ZONE = 'dpdk'
_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'


def root(layout):
    """The backports root of a cloud's repository."""
    return os.path.join(layout.top, ROOT)


def chroot_argv(root):
    """The words that run a command in root, without the host's
    environment.
    """
    return ['chroot', root, 'env', '-i', _PATH, 'HOME=/root']


def prepare_root(layout):
    """The backports root, built if needed, its accounts the host's.

    :raises: procs.ServiceFailed naming the step and its log
    """
    log = layout.log('backports-root')
    steps = (
        ([os.path.join(layout.top, 'tools', 'functional-backports-root'),
          root(layout)], None),
        (['python3', '-m', 'vrouter_functional.root_accounts', root(layout)],
         dict(os.environ, PYTHONPATH=os.path.join(layout.top,
                                                  'functional'))))
    with open(log, 'ab') as out:
        for argv, env in steps:
            try:
                returncode = subprocess.run(
                    argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                    timeout=ROOT_TIMEOUT).returncode
            except subprocess.TimeoutExpired:
                raise procs.ServiceFailed('%s did not finish in %d s (see '
                                          '%s)' % (argv[0], ROOT_TIMEOUT,
                                                   log))
            if returncode:
                raise procs.ServiceFailed('%s failed (see %s)' % (
                    ' '.join(argv), log))


class DpdkNode(cloud_node.Node):
    """A compute node of the cloud with a DPDK vRouter (see module doc)."""

    DATAPATH = 'dpdk'
    ZONE = ZONE

    @property
    def root(self):
        return root(self.cloud)

    def libvirt_config(self):
        return os.path.join(self.root, 'etc', 'libvirt')

    @property
    def vhostuser_socket_dir(self):
        return self.layout.vhostuser_dir

    def chroot(self, argv):
        return chroot_argv(self.root) + list(argv)

    def prepare(self, ssh):
        super().prepare(ssh)
        with open(self.layout.path('hosts'), 'w') as f:
            # libvirtd looks its own name up at each connection, and
            # waits for DNS if the root's /etc/hosts lacks it.
            f.write('127.0.0.1 localhost\n127.0.1.1 %s\n' % self.name)
        with open(self.layout.path('hostname'), 'w') as f:
            f.write(self.name + '\n')
        cloud_node.set_options(
            os.path.join(self.layout.libvirt_dir('/etc/libvirt'),
                         'qemu.conf'),
            {'memory_backing_dir': '"%s"' % MEMORY_DIR,
             # QEMU in the root's /dev, not in a /dev that libvirt builds
             # for each domain: in that one, QEMU 10 found no /dev/urandom
             # (the source of the virtio RNG Nova gives every guest) and
             # quit before the guest started (we did not find why).  The
             # node's mount namespace is QEMU's own already.
             'namespaces': '[]'})
        # QEMU creates the sockets there; the forwarders (root) connect.
        os.makedirs(self.layout.vhostuser_dir, exist_ok=True)
        qemu = pwd.getpwnam(cloud_layout.QEMU_USER)
        os.chown(self.layout.vhostuser_dir, qemu.pw_uid, qemu.pw_gid)
        os.chmod(self.layout.vhostuser_dir, 0o755)

    def compute_options(self):
        return {
            'DEFAULT': {
                # Nova refuses to start with file-backed memory otherwise
                # (the memory is not overcommitted, nor reserved).
                'ram_allocation_ratio': 1.0,
                'reserved_host_memory_mb': 0,
            },
            'libvirt': {
                'file_backed_memory': FILE_BACKED_MEMORY_MB,
            },
        }

    def _mounts(self):
        root = self.root
        sockets = SOCKET_MOUNT
        commands = super()._mounts()
        commands += self._binds([(self.layout.vhostuser_dir, sockets)])
        commands += [
            # Terminals of the node's own, which the root's /dev shares:
            # QEMU, in the root, makes the serial console's pty, and
            # nova-compute, outside it, reads that pty by the path libvirt
            # gives (get_console_output).  A devpts of the root's alone
            # made that path name no pty, or another one, of the host's.
            'mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts '
            '/dev/pts',
            'mount --bind /dev/pts/ptmx /dev/ptmx',
            # The root a mount point of this namespace: libvirt (QEMU's
            # namespace) changes the propagation of /.
            'mount --bind %s %s' % (root, root),
            'mount -t proc proc %s/proc' % root,
            'mount --rbind /sys %s/sys' % root,
            'mount --rbind /dev %s/dev' % root,
            'mount -t tmpfs -o mode=755 vrcloud-run %s/run' % root,
            # /run/dpdk: each forwarder mounts its private tmpfs there.
            'mkdir -p %s/run/lock %s/run/dpdk' % (root, root),
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
            'mount -t tmpfs -o mode=1777 tmpfs %s/tmp' % root,
            'touch %s/etc/hosts %s/etc/hostname' % (root, root),
        ]
        commands += self._binds(
            [(self.layout.path(name), '%s/etc/%s' % (root, name))
             for name in ('hosts', 'hostname')] +
            [(self.layout.libvirt_dir(path), root + path)
             for path in cloud_node.LIBVIRT_DIRS] +
            [(self.layout.vhostuser_dir, root + sockets),
             # Made in the root's own tree: Nova's paths inside it.
             (self.layout.instances, root + self.cloud.instances_path)])
        # After /var/lib/libvirt is bound: on top of the node's directory.
        commands += [
            'mkdir -p %s%s' % (root, MEMORY_DIR),
            'mount -t tmpfs -o size=%dm,mode=0755 vrcloud-ram %s%s' % (
                FILE_BACKED_MEMORY_MB, root, MEMORY_DIR),
        ]
        return commands

    def _libvirt(self, program):
        return self.chroot([program])

    def _agent_options(self):
        return ['--dpdk-root', self.root,
                '--forwarder-logs', self.layout.forwarder_logs]
