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

"""Where the cloud keeps everything, and the names and ports it uses.

One run directory holds every service's configuration (``etc/``), log
(``log/``), pid record (``pids/``) and data (``data/``), so that ``down``
finds all of it and a failed run leaves its logs in one place.

Everything the cloud creates on the host carries the prefix ``vrc``
(``vrcloud`` where the name has room), so that the functional suite or
another cloud can tell it from theirs: libvirt domains ``vrcloud-%08x``,
bridges ``vrcb-<network>``, veth pairs ``vrcg-``/``vrcu-``, the gateway
namespace ``vrcloud-gw``.

TCP ports: ``VRCLOUD_PORT_BASE`` (default 19400) plus a fixed offset each,
all on 127.0.0.1 (the agent on 127.0.0.1 too).
"""

import os

PREFIX = 'vrc'
DOMAIN_TEMPLATE = 'vrcloud-%08x'
GATEWAY_NETNS = 'vrcloud-gw'
BRIDGE_PREFIX = 'vrcb-'
# Per network: one end on the network's bridge, the other in the gateway
# namespace holding the subnet's gateway address.
GATEWAY_VETH_PREFIX = 'vrcg-'
GATEWAY_PEER_PREFIX = 'vrcn-'
# The host's link to the gateway namespace: the host reaches the guests
# (tempest's SSH validation) through it, and only their subnets.
UPLINK_HOST = 'vrcu-host'
UPLINK_NETNS = 'vrcu-gw'
UPLINK_HOST_ADDRESS = '10.198.255.1'
UPLINK_NETNS_ADDRESS = '10.198.255.2'
UPLINK_PREFIXLEN = 30
# Every project network of the cloud lies in this range (tempest's
# project_network_cidr; the network `up` creates): the host routes only
# this range into the gateway namespace.
GUEST_CIDR = '10.199.0.0/16'
DEMO_CIDR = '10.199.255.0/24'
SHARED_CIDR = '10.199.240.0/21'

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
    'agent': 15,
}

DEFAULT_PORT_BASE = 19400


class Layout(object):
    """Paths and ports of one cloud.

    :param top: the repository's root
    :param run_dir: the run directory (default: ``.cloud-build/run``)
    """

    def __init__(self, top, run_dir=None, port_base=None):
        # Absolute: the paths go into configuration files that other
        # processes read from other directories.
        self.top = os.path.abspath(top)
        self.build = os.path.join(self.top, '.cloud-build')
        self.run_dir = os.path.abspath(run_dir or os.environ.get(
            'VRCLOUD_RUN_DIR') or os.path.join(self.build, 'run'))
        self.port_base = int(port_base or os.environ.get(
            'VRCLOUD_PORT_BASE') or DEFAULT_PORT_BASE)
        self.venv = os.path.join(self.build, 'venv')
        self.guest = os.path.join(self.build, 'guest')

    def port(self, name):
        return self.port_base + _OFFSETS[name]

    def url(self, name, path=''):
        return 'http://127.0.0.1:%d%s' % (self.port(name), path)

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
    def port_dir(self):
        """The stand-in agent's port files (the plugin writes them too)."""
        return self.data('ports')

    @property
    def mysql_socket(self):
        return self.data('mysqld.sock')

    def database_url(self, name):
        return ('mysql+pymysql://root:%s@localhost/%s?charset=utf8'
                '&unix_socket=%s' % (self.password, name, self.mysql_socket))

    @property
    def transport_url(self):
        return 'rabbit://guest:guest@127.0.0.1:%d/' % self.port('rabbit')

    # One password for every account of this throw-away cloud.
    password = 'vrcloud-secret'
