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

"""A kernel datapath for the stand-in agent's ports, as a vRouter gives.

A kernel vRouter forwards a port's traffic once the agent has the port and
its tap exists, and stops when the port is deleted.  Here:

- each virtual network is a Linux bridge ``vrcb-<network id[:8]>`` in the
  host's namespace (no address on it: the host does not route into it);
- a port's tap joins its network's bridge once the agent has the port
  (under that device name) and the tap exists, and leaves it when the
  agent no longer has it (the tap of a deleted port carries nothing);
- the subnets' gateway addresses live in a namespace of their own
  (``vrcloud-gw``), one veth pair per network, so guests reach their
  gateway and each other's networks, as through the vRouter;
- the host reaches the guests (tempest's SSH validation) over one veth
  pair into that namespace, with a route for the cloud's guest range only;
- DHCP answers each registered port with its MAC's address, gateway and
  the network's MTU (the vRouter agent serves DHCP to its VMs itself):
  dnsmasq in the gateway namespace, fed from the agent's registrations,
  for the subnets of the networks in use; it knows no other host.

Networks and subnets (CIDR, gateway, MTU) come from Neutron, as the
vRouter's come from the controller.  Test tree only: the plugin knows
nothing of this.
"""

import ipaddress
import logging
import os
import signal
import subprocess
import threading

from vrouter_cloud import layout as cloud_layout

LOG = logging.getLogger(__name__)

_SYS_NET = '/sys/class/net'


class CommandFailed(Exception):
    pass


def _run(*argv):
    result = subprocess.run(argv, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise CommandFailed('%s: %s' % (' '.join(argv),
                                        result.stderr.strip()))
    return result.stdout


def ip(*args):
    return _run('ip', *args)


def netns_ip(*args):
    return _run('ip', '-n', cloud_layout.GATEWAY_NETNS, *args)


def netdev_exists(name):
    return os.path.exists(os.path.join(_SYS_NET, name))


def netdev_master(name):
    """The bridge a device is enslaved to, or None."""
    try:
        return os.path.basename(os.readlink(
            os.path.join(_SYS_NET, name, 'master')))
    except OSError:
        return None


def bridge_name(network_id):
    return cloud_layout.BRIDGE_PREFIX + network_id[:8]


def netns_exists():
    return os.path.exists(os.path.join('/run/netns',
                                       cloud_layout.GATEWAY_NETNS))


def setup_gateway_namespace():
    """The gateway namespace and the host's link and route into it."""
    if not netns_exists():
        ip('netns', 'add', cloud_layout.GATEWAY_NETNS)
    netns_ip('link', 'set', 'lo', 'up')
    _run('ip', 'netns', 'exec', cloud_layout.GATEWAY_NETNS,
         'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
    if not netdev_exists(cloud_layout.UPLINK_HOST):
        ip('link', 'add', cloud_layout.UPLINK_HOST, 'type', 'veth',
           'peer', 'name', cloud_layout.UPLINK_NETNS,
           'netns', cloud_layout.GATEWAY_NETNS)
        ip('address', 'add', '%s/%d' % (cloud_layout.UPLINK_HOST_ADDRESS,
                                        cloud_layout.UPLINK_PREFIXLEN),
           'dev', cloud_layout.UPLINK_HOST)
        netns_ip('address', 'add', '%s/%d' % (
            cloud_layout.UPLINK_NETNS_ADDRESS,
            cloud_layout.UPLINK_PREFIXLEN), 'dev', cloud_layout.UPLINK_NETNS)
    ip('link', 'set', cloud_layout.UPLINK_HOST, 'up')
    netns_ip('link', 'set', cloud_layout.UPLINK_NETNS, 'up')
    # Only the guests' range: nothing else of the host goes there, and
    # the namespace has no default route (guests reach no other address).
    ip('route', 'replace', cloud_layout.GUEST_CIDR,
       'via', cloud_layout.UPLINK_NETNS_ADDRESS)


def cleanup():
    """Remove every bridge, veth and the namespace of the datapath."""
    removed = []
    for name in sorted(os.listdir(_SYS_NET)):
        if name.startswith((cloud_layout.BRIDGE_PREFIX,
                            cloud_layout.GATEWAY_VETH_PREFIX)) or \
                name == cloud_layout.UPLINK_HOST:
            try:
                ip('link', 'del', name)
                removed.append(name)
            except CommandFailed:
                pass  # gone with its peer
    if netns_exists():
        ip('netns', 'del', cloud_layout.GATEWAY_NETNS)
        removed.append('netns ' + cloud_layout.GATEWAY_NETNS)
    return removed


class Networks(object):
    """Network facts from Neutron.

    Cached: a network's subnets do not change under its ports in this
    cloud's tests, and the datapath forgets a network before it attaches
    a new tap to it.
    """

    def __init__(self, connection):
        self.connection = connection
        self._cache = {}

    def get(self, network_id):
        """{'mtu': int, 'subnets': [(cidr, gateway)]} or None."""
        known = self._cache.get(network_id)
        if known is not None:
            return known
        network = self.connection.network.find_network(
            network_id, ignore_missing=True)
        if network is None:
            return None
        subnets = []
        for subnet in self.connection.network.subnets(network_id=network_id):
            if subnet.ip_version == 4 and subnet.gateway_ip:
                subnets.append((subnet.cidr, subnet.gateway_ip))
        info = {'mtu': network.mtu or 1500, 'subnets': subnets}
        self._cache[network_id] = info
        return info

    def forget(self, network_id):
        self._cache.pop(network_id, None)


class Dhcp(object):
    """dnsmasq in the gateway namespace, DHCP only, known hosts only.

    :param directory: where its hosts file, leases and log go
    """

    def __init__(self, directory):
        self.directory = directory
        self.hosts_file = os.path.join(directory, 'hosts')
        self._process = None
        self._ranges = None
        self._hosts = None

    def update(self, subnets, hosts):
        """Serve these subnets and hosts.

        :param subnets: {(network id, cidr, gateway, mtu)}
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
        argv = ['ip', 'netns', 'exec', cloud_layout.GATEWAY_NETNS,
                'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null',
                '--port=0', '--no-resolv', '--no-hosts', '--user=root',
                '--interface=%s*' % cloud_layout.GATEWAY_PEER_PREFIX,
                '--dhcp-hostsfile=' + self.hosts_file,
                '--leasefile-ro',
                '--dhcp-ignore=tag:!known', '--log-dhcp',
                '--log-facility=' + os.path.join(self.directory, 'log')]
        for network_id, cidr, gateway, mtu in sorted(subnets):
            net = ipaddress.ip_network(cidr)
            tag = 'n' + network_id[:8]
            argv += ['--dhcp-range=set:%s,%s,static,%s,infinite' % (
                tag, net.network_address, net.netmask),
                '--dhcp-option=tag:%s,option:mtu,%d' % (tag, mtu)]
        self._process = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
        LOG.info('dhcp: dnsmasq pid %d for %d subnets', self._process.pid,
                 len(subnets))

    def stop(self):
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


class KernelDatapath(object):
    """Connects the agent's ports to their networks (see module doc).

    :param agent: the AgentStandIn whose ports are followed
    :param networks: a Networks (Neutron's view)
    :param dhcp: the Dhcp serving the ports
    :param interval: seconds between two looks at the agent and the taps
    """

    def __init__(self, agent, networks, dhcp, interval=0.2):
        self.agent = agent
        self.networks = networks
        self.dhcp = dhcp
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None
        self._bridges = {}  # network id -> set of subnet CIDRs set up
        self._info = {}  # network id -> Networks.get()

    def start(self):
        setup_gateway_namespace()
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name='kernel-datapath')
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.dhcp.stop()

    def _loop(self):
        while not self._stop.wait(self.interval):
            try:
                self.sync()
            except Exception:  # noqa: a failed round is retried
                LOG.exception('datapath round failed')

    def _ensure_network(self, network_id):
        info = self.networks.get(network_id)
        if info is None:
            return None
        bridge = bridge_name(network_id)
        gw_host = cloud_layout.GATEWAY_VETH_PREFIX + network_id[:8]
        gw_ns = cloud_layout.GATEWAY_PEER_PREFIX + network_id[:8]
        mtu = str(info['mtu'])
        if not netdev_exists(bridge):
            ip('link', 'add', bridge, 'mtu', mtu, 'type', 'bridge')
            # Forward at once: no STP listening delay for guests.
            ip('link', 'set', bridge, 'type', 'bridge', 'forward_delay', '0',
               'stp_state', '0')
            ip('link', 'add', gw_host, 'mtu', mtu, 'type', 'veth',
               'peer', 'name', gw_ns, 'netns', cloud_layout.GATEWAY_NETNS)
            ip('link', 'set', gw_host, 'master', bridge, 'up')
            netns_ip('link', 'set', gw_ns, 'mtu', mtu, 'up')
            ip('link', 'set', bridge, 'up')
            self._bridges[network_id] = set()
            LOG.info('network %s: bridge %s', network_id, bridge)
        self._info[network_id] = info
        done = self._bridges.setdefault(network_id, set())
        for cidr, gateway in info['subnets']:
            if cidr in done:
                continue
            prefixlen = ipaddress.ip_network(cidr).prefixlen
            try:
                netns_ip('address', 'add', '%s/%d' % (gateway, prefixlen),
                         'dev', gw_ns)
            except CommandFailed as exc:
                if 'File exists' not in str(exc):
                    raise
            done.add(cidr)
            LOG.info('network %s: gateway %s/%d', network_id, gateway,
                     prefixlen)
        return bridge

    def sync(self):
        """One round: attach registered taps, detach unregistered ones."""
        ports = self.agent.ports()
        wanted = {}
        for port in ports.values():
            if port.get('type') != 0:
                continue
            wanted[port['system-name']] = port['vn-id']
        for device, network_id in wanted.items():
            if not netdev_exists(device):
                continue
            bridge = bridge_name(network_id)
            if netdev_master(device) == bridge:
                continue
            # A network seen for the first time, or a subnet added.
            self.networks.forget(network_id)
            bridge = self._ensure_network(network_id)
            if bridge is None:
                continue
            ip('link', 'set', 'dev', device, 'master', bridge, 'up')
            LOG.info('attached %s to %s', device, bridge)
        for name in os.listdir(_SYS_NET):
            master = netdev_master(name)
            if (master and master.startswith(cloud_layout.BRIDGE_PREFIX) and
                    not name.startswith(cloud_layout.GATEWAY_VETH_PREFIX) and
                    name not in wanted):
                try:
                    ip('link', 'set', 'dev', name, 'nomaster')
                    LOG.info('detached %s from %s', name, master)
                except CommandFailed:
                    pass  # the tap went away meanwhile
        in_use = set(wanted.values())
        for network_id in list(self._bridges):
            if network_id not in in_use:
                self._remove_network(network_id)
        subnets = set()
        for network_id in self._bridges:
            info = self._info[network_id]
            for cidr, gateway in info['subnets']:
                subnets.add((network_id, cidr, gateway, info['mtu']))
        hosts = set((port['mac-address'].lower(), port['ip-address'])
                    for port in ports.values()
                    if port['ip-address'] not in ('', '0.0.0.0'))
        self.dhcp.update(subnets, hosts)

    def _remove_network(self, network_id):
        # A deleted network's CIDR may come back on another network:
        # its gateway address must go with it.
        bridge = bridge_name(network_id)
        for name in os.listdir(_SYS_NET):
            if (netdev_master(name) == bridge and not
                    name.startswith(cloud_layout.GATEWAY_VETH_PREFIX)):
                return  # a tap is still attached: next round
        for name in (cloud_layout.GATEWAY_VETH_PREFIX + network_id[:8],
                     bridge):
            try:
                ip('link', 'del', name)
            except CommandFailed:
                pass  # already gone
        del self._bridges[network_id]
        self._info.pop(network_id, None)
        LOG.info('network %s: removed %s', network_id, bridge)
