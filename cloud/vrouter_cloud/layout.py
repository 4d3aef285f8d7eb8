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

"""Where the cloud keeps everything, and the names, addresses and ports.

One run directory holds every service's configuration (``etc/``), log
(``log/``), pid record (``pids/``) and data (``data/``), and each compute
node's own directories (``nodes/<node>/``), so that ``down`` finds all of
it and a failed run leaves its logs in one place.

Everything the cloud creates on the host carries the prefix ``vrc``
(``vrcloud`` where the name has room), so that the functional suite or
another job can tell it from theirs: libvirt domains ``vrcloud-%08x``,
namespaces ``vrcloud-gw`` and ``vrcloud-node<N>``, the management bridge
``vrcm-br`` and its veths ``vrcm-<namespace>``.

The networks (all private to this machine; see ``underlay``):

- management and underlay, ``MANAGEMENT_CIDR``: the host (the control
  plane's services listen there), the gateway namespace and each node;
  the nodes' VXLAN tunnels run over it, and live migration, the disk
  copies of cold migration and the nodes' libvirtd too;
- the guests' networks, inside ``GUEST_CIDR`` as tempest and ``up``
  make them (networks may use the same addresses): one L2 segment per
  virtual network across the nodes and its router's namespace (VXLAN);
- the routers' uplinks, ``UPLINK_CIDR``: a /30 between the gateway
  namespace and each router's namespace; the host routes it to
  the gateway namespace (what guests send out leaves from there);
- floating IPs, ``FLOATING_CIDR``: the external network's subnet; the
  gateway namespace routes each floating IP to the router namespace that
  translates it to its fixed IP.

TCP ports of the control plane: ``VRCLOUD_PORT_BASE`` (default 19400)
plus a fixed offset each, on the management address.

Several clouds on one machine: ``VRCLOUD_INSTANCE=N`` (default 0) gives
a cloud its own names (``vrcloud<N>-``, devices ``vrc<N>...``), networks
(``10.<198-2N>.0.0/24`` and so on) and ports (base ``19400 + 100 N``),
so that two engineers' clouds, or a suite and a cloud, do not meet.
Every process of a cloud must see the same value (``tools/cloud`` and
the cloud's own services pass it on).
"""

import grp
import hashlib
import ipaddress
import os
import pwd
import stat
import uuid

# The user QEMU runs as (Debian's libvirt): it opens the instances' disks.
QEMU_USER = 'libvirt-qemu'

INSTANCE = int(os.environ.get('VRCLOUD_INSTANCE') or 0)
_SUFFIX = str(INSTANCE) if INSTANCE else ''

NAME = 'vrcloud' + _SUFFIX
# Network devices on the host: PREFIX, one letter, a dash.
PREFIX = 'vrc' + _SUFFIX
DOMAIN_TEMPLATE = NAME + '-%08x'
NAMESPACE_PREFIX = NAME + '-'
GATEWAY_NETNS = NAME + '-gw'
# A Neutron router's namespace, or an isolated network's
# (router_namespace): ``vrcloud-r<router or network id[:8]>``.
ROUTER_NETNS_PREFIX = NAME + '-r'
NODE_NAME_TEMPLATE = NAME + '-node%d'

# The host's bridge that joins the namespaces, and the veths to it: the
# host end is named after the namespace (``vrcm-gw``, ``vrcm-node1``), the
# namespace end is UNDERLAY_DEVICE there.
MANAGEMENT_BRIDGE = PREFIX + 'm-br'
MANAGEMENT_VETH_PREFIX = PREFIX + 'm-'
UNDERLAY_DEVICE = 'eth0'
# Per virtual network, in its router's namespace and on each
# node that has a port on it: a bridge and the VXLAN device that extends
# it to the other namespaces.
BRIDGE_PREFIX = PREFIX + 'b-'
VXLAN_PREFIX = PREFIX + 'x-'
VXLAN_PORT = 4789
# A router namespace's link to the gateway namespace: UPLINK_DEVICE in
# the router namespace, UPLINK_PREFIX + router id[:8] in the gateway's.
UPLINK_DEVICE = 'uplink'
UPLINK_PREFIX = PREFIX + 'u-'

_NET = 198 - 2 * INSTANCE
MANAGEMENT_CIDR = '10.%d.0.0/24' % _NET
CONTROL_ADDRESS = '10.%d.0.1' % _NET
GATEWAY_ADDRESS = '10.%d.0.2' % _NET
FIRST_NODE_HOST = 11
# The project networks of the cloud come from this range (tempest's
# project_network_cidr; the networks `up` creates); the host does not
# route it: fixed IPs are reached from a router namespace or through
# floating IPs.
GUEST_CIDR = '10.%d.0.0/16' % (_NET + 1)
DEMO_CIDR = '10.%d.255.0/24' % (_NET + 1)
SHARED_CIDR = '10.%d.240.0/21' % (_NET + 1)
FLOATING_CIDR = '10.%d.100.0/24' % _NET
UPLINK_CIDR = '10.%d.128.0/18' % _NET
# The external network's gateway, a real cloud's upstream router: the
# host holds it, so that guests can ping "the outside" (tempest does).
EXTERNAL_GATEWAY = str(ipaddress.ip_network(FLOATING_CIDR)[1])
# Where guests find the metadata service (the gateway proxies it).
METADATA_ADDRESS = '169.254.169.254'
# The vRouter agent's port API, on every node (its own namespace).
AGENT_PORT = 9091
# Where a DPDK vRouter's vhost-user sockets are, as the controller binds
# them (``uvh_vif_<device>``): on a DPDK node, QEMU serves each there and
# the node's forwarder connects (dpdk_node, datapath).
VHOSTUSER_SOCKET_DIR = '/var/run/vrouter'

_OFFSETS = {
    'mysql': 0,
    'rabbit': 1,
    'rabbit_dist': 2,
    'epmd': 3,
    'keystone': 10,
    'placement': 11,
    'glance': 12,
    'neutron': 13,
    'nova': 14,
    'nova-metadata': 16,
}

DEFAULT_PORT_BASE = 19400 + 100 * INSTANCE
DEFAULT_NODES = 2
MAX_NODES = 8


def is_cloud_device(name):
    """Whether a network device's name is one of this cloud's."""
    return (name.startswith(PREFIX) and len(name) > len(PREFIX) + 1 and
            name[len(PREFIX)].isalpha() and name[len(PREFIX) + 1] == '-')


def vhostuser_socket(device):
    """The vhost-user socket of a DPDK port, after its device name."""
    return '%s/uvh_vif_%s' % (VHOSTUSER_SOCKET_DIR, device)


def router_netns(domain_id):
    """The namespace of a router, or of a network attached to none."""
    return ROUTER_NETNS_PREFIX + domain_id[:8]


def node_name(index):
    return NODE_NAME_TEMPLATE % index


def node_address(index):
    return str(ipaddress.ip_network(MANAGEMENT_CIDR)[FIRST_NODE_HOST +
                                                     index - 1])


def unreachable_by(path, user):
    """The first directory on path that user cannot traverse, or None."""
    entry = pwd.getpwnam(user)
    groups = set([entry.pw_gid] + [g.gr_gid for g in grp.getgrall()
                                   if user in g.gr_mem])
    current = os.path.abspath(path)
    parents = []
    while True:
        parents.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for directory in reversed(parents):
        if not os.path.exists(directory):
            break  # made by up, with the default mode
        st = os.stat(directory)
        if st.st_uid == entry.pw_uid:
            allowed = st.st_mode & stat.S_IXUSR
        elif st.st_gid in groups:
            allowed = st.st_mode & stat.S_IXGRP
        else:
            allowed = st.st_mode & stat.S_IXOTH
        if not allowed:
            return directory
    return None


def default_run_dir(top, user=QEMU_USER):
    """``.cloud-build/run``, or one in /var/tmp if QEMU cannot reach it.

    QEMU opens the instances' disks, kernels and sockets under the run
    directory as its own user: a checkout in a directory that user cannot
    traverse (a home directory of mode 0700, a ``mktemp -d``) would make
    every server fail to build.  The run directory then moves to
    ``/var/tmp/<cloud>-run-<digest of the checkout>``, one per checkout.
    """
    preferred = os.path.join(top, '.cloud-build', 'run')
    try:
        blocked = unreachable_by(preferred, user)
    except KeyError:  # no such user: no libvirt here to reach anything
        return preferred
    if blocked is None:
        return preferred
    digest = hashlib.sha256(top.encode()).hexdigest()[:8]
    return os.path.join('/var/tmp', '%s-run-%s' % (NAME, digest))


class Layout(object):
    """Paths, addresses and ports of one cloud.

    :param top: the repository's root
    :param run_dir: the run directory (default: ``$VRCLOUD_RUN_DIR`` or
        ``default_run_dir``)
    :param port_base: the first TCP port (default: ``$VRCLOUD_PORT_BASE``
        or 19400)
    """

    def __init__(self, top, run_dir=None, port_base=None):
        # Absolute: the paths go into configuration files that other
        # processes read from other directories.
        self.top = os.path.abspath(top)
        self.build = os.path.join(self.top, '.cloud-build')
        self.run_dir = os.path.abspath(run_dir or os.environ.get(
            'VRCLOUD_RUN_DIR') or default_run_dir(self.top))
        self.port_base = int(port_base or os.environ.get(
            'VRCLOUD_PORT_BASE') or DEFAULT_PORT_BASE)
        self.venv = os.path.join(self.build, 'venv')
        self.guest = os.path.join(self.build, 'guest')

    def port(self, name):
        return self.port_base + _OFFSETS[name]

    def url(self, name, path=''):
        return 'http://%s:%d%s' % (CONTROL_ADDRESS, self.port(name), path)

    def path(self, *parts):
        return os.path.join(self.run_dir, *parts)

    def etc(self, service, *parts):
        return self.path('etc', service, *parts)

    def log(self, name):
        return self.path('log', name + '.log')

    def data(self, *parts):
        return self.path('data', *parts)

    def bin(self, name):
        return os.path.join(self.venv, 'bin', name)

    @property
    def instances_path(self):
        """Nova's instances_path, the same path on every node.

        Nova copies a server's disks to the destination's instances_path
        taken from the source's configuration: every node must use one
        path.  Each node mounts its own directory there (Node), so that
        storage is not shared and live migration is block migration.
        """
        return self.path('instances')

    @property
    def nodes_file(self):
        """What tempest's plugin reads about the nodes (cloud up writes)."""
        return self.etc('nodes.json')

    @property
    def mysql_socket(self):
        return self.data('mysqld.sock')

    def database_url(self, name):
        return ('mysql+pymysql://root:%s@localhost/%s?charset=utf8'
                '&unix_socket=%s' % (self.password, name, self.mysql_socket))

    @property
    def transport_url(self):
        return 'rabbit://guest:guest@%s:%d/' % (
            CONTROL_ADDRESS, self.port('rabbit'))

    def node(self, index):
        return NodeLayout(self, index)

    # One password for every account of this throw-away cloud, and the
    # secret the metadata proxy signs instance ids with.
    password = 'vrcloud-secret'
    metadata_secret = 'vrcloud-metadata-secret'


class NodeLayout(object):
    """The names, address and directories of one compute node.

    :param layout: the cloud's Layout
    :param index: the node's number, from 1
    """

    def __init__(self, layout, index):
        self.cloud = layout
        self.index = index
        # Nova's host, the libvirt hostname (its UTS namespace), the
        # Placement provider, the binding host and the network namespace.
        self.name = node_name(index)
        self.address = node_address(index)
        self.netns = self.name
        self.root = layout.path('nodes', self.name)
        # libvirt refuses to migrate to a host whose UUID is its own: each
        # node's libvirtd gets one of its own, stable across runs.
        self.host_uuid = str(uuid.uuid5(uuid.NAMESPACE_DNS,
                                        self.name + '.vrcloud'))

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def service(self, name):
        """The name of a service of this node in the pid records."""
        return '%s-%s' % (self.name, name)

    def log(self, name):
        return self.cloud.log(self.service(name))

    @property
    def etc(self):
        return self.path('etc')

    @property
    def nova_conf(self):
        return self.path('etc', 'nova.conf')

    @property
    def compute_settings(self):
        """Which virtualenv runs the node's nova-compute, when not the
        cloud's (Node.use_compute).
        """
        return self.path('compute.json')

    @property
    def port_dir(self):
        """The node agent's port files (the plugin writes them too)."""
        return self.path('ports')

    @property
    def instances(self):
        """What the node mounts at the cloud's instances_path."""
        return self.path('instances')

    @property
    def vhostuser_dir(self):
        """What a DPDK node mounts at VHOSTUSER_SOCKET_DIR: the host
        sees the node's sockets here.
        """
        return self.path('vhostuser')

    @property
    def forwarder_logs(self):
        """A DPDK node's forwarders' output, one file per port."""
        return self.path('forwarders')

    @property
    def state_path(self):
        return self.path('nova')

    @property
    def libvirt_socket(self):
        """The node's libvirtd socket, as the host sees it."""
        return os.path.join(self.libvirt_dir('/run/libvirt'), 'libvirt-sock')

    @property
    def libvirt_uri(self):
        """qemu:///system of the node's libvirtd, from the host."""
        return 'qemu:///system?socket=%s' % self.libvirt_socket

    def libvirt_dir(self, path):
        """The node's own directory mounted at one of libvirt's paths."""
        return self.path('libvirt', path.strip('/').replace('/', '-'))

    @property
    def agent_url(self):
        return 'http://%s:%d' % (self.address, AGENT_PORT)
