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

"""DHCP for the guests: dnsmasq in a router's namespace, known hosts only.

The vRouter agent answers its VMs' DHCP itself, from what the controller
says of their ports; here a dnsmasq per router namespace
(``router_namespace``), on its bridges, answers each server's port with
its MAC's address, the gateway and the network's MTU, for the subnets
that have DHCP, and nobody else.  A port that is not registered at its
node's agent gets no answer either: its tap is on no segment.
"""

import ipaddress
import logging
import os
import signal
import subprocess

from vrouter_cloud import layout as cloud_layout

LOG = logging.getLogger(__name__)


class Dhcp(object):
    """dnsmasq in a namespace, DHCP only, known hosts only.

    :param directory: where its hosts file and log go
    :param namespace: the network namespace it serves
    """

    def __init__(self, directory, namespace):
        self.directory = directory
        self.namespace = namespace
        self.hosts_file = os.path.join(directory, 'hosts')
        self._process = None
        self._ranges = None
        self._hosts = None

    def update(self, subnets, hosts):
        """Serve these subnets and hosts.

        :param subnets: {(network id, cidr, mtu)}
        :param hosts: {(mac, ip)}
        """
        os.makedirs(self.directory, exist_ok=True)
        restart = subnets != self._ranges
        if hosts != self._hosts:
            with open(self.hosts_file + '.new', 'w') as f:
                for mac, address in sorted(hosts):
                    f.write('%s,%s\n' % (mac, address))
            os.rename(self.hosts_file + '.new', self.hosts_file)
            # NOTE: dnsmasq keeps a lease for a MAC it no longer knows
            # and then refuses the address to the next port Neutron gives
            # it ("not using configured address ... because it is leased
            # to ..."): a host gone means a fresh dnsmasq (it keeps no
            # lease file); new hosts only need the file read again.
            if self._hosts is not None and not hosts >= self._hosts:
                restart = True
            self._hosts = hosts
            if self._process is not None and not restart:
                self._process.send_signal(signal.SIGHUP)
        if restart:
            # dnsmasq reads its ranges only when it starts.
            self.stop()
            self._ranges = subnets
            if subnets:
                self._start(subnets)

    def _start(self, subnets):
        argv = ['ip', 'netns', 'exec', self.namespace,
                'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null',
                '--port=0', '--no-resolv', '--no-hosts', '--user=root',
                '--interface=%s*' % cloud_layout.BRIDGE_PREFIX,
                '--dhcp-hostsfile=' + self.hosts_file,
                '--leasefile-ro',
                '--dhcp-ignore=tag:!known', '--log-dhcp',
                '--log-facility=' + os.path.join(self.directory, 'log')]
        for network_id, cidr, mtu in sorted(subnets):
            net = ipaddress.ip_network(cidr)
            tag = 'n' + network_id[:8]
            argv += ['--dhcp-range=set:%s,%s,static,%s,infinite' % (
                tag, net.network_address, net.netmask),
                '--dhcp-option=tag:%s,option:mtu,%d' % (tag, mtu)]
        self._process = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
        LOG.info('%s: dnsmasq pid %d for %d subnets', self.namespace,
                 self._process.pid, len(subnets))

    def stop(self):
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
