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

"""What the test cloud could leave behind on the host, one thing a line.

    python -m vrouter_cloud.inventory --top TOP [--backports-root]

For the cloud of the checkout TOP and ``VRCLOUD_INSTANCE``: its libvirt
domains on the host's own libvirtd, its network devices and namespaces,
its nodes' port files, and its processes (anything run from its build
directory, its guests' QEMUs, its RabbitMQ node and Erlang port mapper,
its DPDK nodes' forwarders).  With ``--backports-root``, also every
process whose root is the checkout's backports root (a DPDK node's
libvirt and QEMU run there; so does a functional-backports run).
The jobs that bring the cloud up (``tools/tempest-job``,
``tools/cloud-operations-job``) take it before and after and fail on
what is new.  Sorted lines ``<kind> <name>``; nothing of the host is
changed.
"""

import argparse
import glob
import os
import re
import subprocess
import sys

from vrouter_testing import iproute

from vrouter_cloud import dpdk_node
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import netns
from vrouter_cloud import vhostuser_plane

# The jobs' own shells and this command are not what the cloud left.
_NOT_THE_CLOUDS = ('tempest-job', 'cloud-operations-job',
                   'vrouter_cloud.inventory')


def domain_lines(names):
    prefix = cloud_layout.DOMAIN_TEMPLATE.split('%')[0]
    return ['domain ' + name for name in names if name.startswith(prefix)]


def netdev_lines(names):
    return ['netdev ' + name for name in names
            if cloud_layout.is_cloud_device(name)]


def netns_lines(names):
    return ['netns ' + name for name in names
            if name.startswith(cloud_layout.NAMESPACE_PREFIX)]


def port_file_lines(layout):
    pattern = layout.path('nodes', '*', 'ports', '*')
    return ['port-file ' + os.path.basename(path)
            for path in glob.glob(pattern) if os.path.isfile(path)]


def process_pattern(layout):
    """What marks a process as the cloud's in its command line."""
    return re.compile('|'.join(re.escape(text) for text in (
        layout.build + os.sep,
        '%s@localhost' % cloud_layout.NAME,
        'guest=%s-' % cloud_layout.NAME,
        'epmd -port %d' % layout.port('epmd'),
        # testpmd's tap (vhostuser_plane).
        'iface=' + vhostuser_plane.TAP_PREFIX)))


def process_lines(pattern, proc='/proc', exclude=(), root=None):
    """The processes whose command line matches pattern, or whose root
    directory is root.

    :param exclude: pids to leave out (this one's)
    :param root: a directory with no symbolic link in its path, or None
    """
    lines = []
    for entry in os.listdir(proc):
        if not entry.isdigit() or int(entry) in exclude:
            continue
        try:
            with open(os.path.join(proc, entry, 'cmdline'), 'rb') as f:
                argv = f.read().rstrip(b'\0').split(b'\0')
        except OSError:
            continue  # gone meanwhile, or a kernel thread
        command = ' '.join(arg.decode('utf-8', errors='replace')
                           for arg in argv)
        if any(name in command for name in _NOT_THE_CLOUDS):
            continue
        if root is not None and _root(proc, entry) == root:
            lines.append('process %s in the backports root: %s' % (
                entry, command))
        elif pattern.search(command):
            lines.append('process %s %s' % (entry, command))
    return lines


def _root(proc, pid):
    try:
        return os.readlink(os.path.join(proc, pid, 'root'))
    except OSError:
        return None  # gone meanwhile


def _host_domains():
    """The domains of the host's own libvirtd ([] without one)."""
    try:
        result = subprocess.run(
            ['virsh', '-q', '-c', 'qemu:///system', 'list', '--all',
             '--name'], capture_output=True, text=True, check=False,
            timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return result.stdout.split()


def inventory(layout, backports_root=False):
    """Sorted lines (see module doc).

    :param backports_root: also every process in the backports root
    """
    root = (os.path.realpath(dpdk_node.root(layout)) if backports_root
            else None)
    return sorted(
        domain_lines(_host_domains()) +
        netdev_lines(iproute.netdevs()) +
        netns_lines(netns.names(cloud_layout.NAMESPACE_PREFIX)) +
        port_file_lines(layout) +
        process_lines(process_pattern(layout), exclude=(os.getpid(),),
                      root=root))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--top', default=os.getcwd())
    parser.add_argument('--backports-root', action='store_true',
                        help='also the processes in the backports root '
                             '(a cloud with DPDK nodes)')
    args = parser.parse_args(argv)
    for line in inventory(cloud_layout.Layout(args.top),
                          backports_root=args.backports_root):
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
