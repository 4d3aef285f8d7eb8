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

"""The gateway's round: Neutron's view split into router namespaces.

The namespaces themselves (ip, dnsmasq, nft) are the cloud's to run;
here they are recorded, and the gateway namespace's routes with them.
"""

import ipaddress

import fixtures
import testtools

from vrouter_cloud import gateway
from vrouter_cloud import neutron_view
from vrouter_cloud import router_namespace

NET_A = 'aaaaaaaa-0000-0000-0000-000000000001'
NET_B = 'bbbbbbbb-0000-0000-0000-000000000002'
NET_A2 = 'aaaaaaaa-0000-0000-0000-000000000003'
ROUTER_A = 'ra000000-0000-0000-0000-000000000001'
ROUTER_B = 'rb000000-0000-0000-0000-000000000002'


def _network(network_id, project_id='p', cidr='10.199.0.0/28'):
    return neutron_view.Network(
        id=network_id, vni=100, mtu=1450, project_id=project_id,
        subnets=(neutron_view.Subnet(
            's-' + network_id, cidr, str(ipaddress.ip_network(cidr)[1]),
            True),))


def _port(port_id, network_id, ip='10.199.0.5'):
    return neutron_view.Port(port_id, 'fa:16:3e:00:00:01', (ip,),
                             'server-' + port_id, 'p', network_id)


def _fip(address, fixed, port_id):
    return neutron_view.FloatingIP(address, fixed, port_id)


class FakeNeutron(object):

    def __init__(self):
        self.networks_ = {}
        self.interfaces = {}
        self.ports = []
        self.fips = []

    def networks(self):
        return dict(self.networks_)

    def router_interfaces(self):
        return dict(self.interfaces)

    def instance_ports(self):
        return list(self.ports)

    def floating_ips(self):
        return list(self.fips)


class RecordedNamespace(object):
    """A RouterNamespace's calls, without namespaces."""

    log = []

    def __init__(self, domain_id, index, local, peers, state_dir,
                 metadata):
        self.domain_id = domain_id
        self.index = index
        self.router_end = None
        if index is not None:
            self.router_end = router_namespace.uplink_addresses(index)[1]
        self.updates = []

    def setup(self):
        self.log.append(('setup', self.domain_id, self.index))

    def prune(self, network_ids):
        self.log.append(('prune', self.domain_id, sorted(network_ids)))

    def update(self, networks, ports, floating_ips):
        self.updates.append((sorted(networks), sorted(p.id for p in ports),
                             floating_ips))

    def remove(self):
        self.log.append(('remove', self.domain_id))


class GatewayTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        RecordedNamespace.log = []
        self.routes = []
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.iproute.ip',
            lambda *args, **kwargs: self.routes.append(args)))
        self.neutron = FakeNeutron()
        self.gateway = gateway.Gateway(
            self.neutron, '10.198.0.2', ['10.198.0.11'], '/nonexistent',
            ('http://upstream', 'secret'), namespace_class=RecordedNamespace)

    def namespace(self, domain_id):
        return self.gateway.namespaces[domain_id]

    def test_routers_with_the_same_addresses_get_a_namespace_each(self):
        n = self.neutron
        n.networks_ = {NET_A: _network(NET_A), NET_B: _network(NET_B)}
        n.interfaces = {NET_A: [ROUTER_A], NET_B: [ROUTER_B]}
        n.ports = [_port('port-a', NET_A), _port('port-b', NET_B)]
        # The same fixed IP behind both routers: the port says which.
        n.fips = [_fip('10.198.100.10', '10.199.0.5', 'port-a'),
                  _fip('10.198.100.20', '10.199.0.5', 'port-b')]
        self.gateway.sync()
        a, b = self.namespace(ROUTER_A), self.namespace(ROUTER_B)
        self.assertEqual((0, 1), (a.index, b.index))
        self.assertEqual([([NET_A], ['port-a'],
                           {('10.198.100.10', '10.199.0.5')})], a.updates)
        self.assertEqual([([NET_B], ['port-b'],
                           {('10.198.100.20', '10.199.0.5')})], b.updates)
        self.assertEqual(
            [('route', 'replace', '10.198.100.10/32', 'via', a.router_end),
             ('route', 'replace', '10.198.100.20/32', 'via', b.router_end)],
            self.routes)

    def test_a_router_s_networks_share_its_namespace(self):
        self.neutron.networks_ = {
            NET_A: _network(NET_A),
            NET_A2: _network(NET_A2, cidr='10.199.0.16/28')}
        self.neutron.interfaces = {NET_A: [ROUTER_A], NET_A2: [ROUTER_A]}
        self.gateway.sync()
        self.assertEqual([ROUTER_A], list(self.gateway.namespaces))
        self.assertEqual([NET_A, NET_A2],
                         self.namespace(ROUTER_A).updates[0][0])

    def test_an_isolated_network_has_no_uplink_and_no_floating_ip(self):
        n = self.neutron
        n.networks_ = {NET_A: _network(NET_A)}
        n.ports = [_port('port-a', NET_A)]
        n.fips = [_fip('10.198.100.10', '10.199.0.5', 'port-a')]
        self.gateway.sync()
        isolated = self.namespace(NET_A)
        self.assertIsNone(isolated.index)
        self.assertEqual([([NET_A], ['port-a'], set())], isolated.updates)
        self.assertEqual([], self.routes)

    def test_a_network_moves_to_its_router_s_namespace_first_removed(self):
        n = self.neutron
        n.networks_ = {NET_A: _network(NET_A)}
        self.gateway.sync()
        n.interfaces = {NET_A: [ROUTER_A]}
        self.gateway.sync()
        # Its VXLAN id leaves the isolated namespace before the router's
        # is made.
        self.assertEqual([('setup', NET_A, None), ('remove', NET_A),
                          ('setup', ROUTER_A, 0)], RecordedNamespace.log)
        self.assertEqual([ROUTER_A], list(self.gateway.namespaces))

    def test_a_network_leaving_a_router_is_pruned_before_others_grow(self):
        n = self.neutron
        n.networks_ = {NET_A: _network(NET_A), NET_A2: _network(NET_A2)}
        n.interfaces = {NET_A: [ROUTER_A], NET_A2: [ROUTER_A]}
        self.gateway.sync()
        n.interfaces = {NET_A: [ROUTER_A], NET_A2: [ROUTER_B]}
        self.gateway.sync()
        self.assertEqual(('prune', ROUTER_A, [NET_A]),
                         RecordedNamespace.log[1])
        self.assertEqual(('setup', ROUTER_B, 1), RecordedNamespace.log[2])

    def test_floating_ip_of_no_server_port_is_not_routed(self):
        self.neutron.networks_ = {NET_A: _network(NET_A)}
        self.neutron.interfaces = {NET_A: [ROUTER_A]}
        self.neutron.fips = [_fip('10.198.100.10', '10.199.0.1',
                                  'router-port')]
        self.gateway.sync()
        self.assertEqual(set(), self.namespace(ROUTER_A).updates[0][2])
        self.assertEqual([], self.routes)

    def test_routes_follow_floating_ips_and_namespaces_their_networks(self):
        n = self.neutron
        n.networks_ = {NET_A: _network(NET_A)}
        n.interfaces = {NET_A: [ROUTER_A]}
        n.ports = [_port('port-a', NET_A)]
        n.fips = [_fip('10.198.100.10', '10.199.0.5', 'port-a')]
        self.gateway.sync()
        self.gateway.sync()  # nothing changed: no route call
        n.fips = []
        self.gateway.sync()
        router_end = self.namespace(ROUTER_A).router_end
        n.networks_, n.interfaces, n.ports = {}, {}, []
        self.gateway.sync()
        self.assertEqual({}, self.gateway.namespaces)
        self.assertIn(('remove', ROUTER_A), RecordedNamespace.log)
        self.assertEqual(
            [('route', 'replace', '10.198.100.10/32', 'via', router_end),
             ('route', 'del', '10.198.100.10/32')], self.routes)
        # The uplink's /30 is free again.
        n.networks_ = {NET_B: _network(NET_B)}
        n.interfaces = {NET_B: [ROUTER_B]}
        self.gateway.sync()
        self.assertEqual(0, self.namespace(ROUTER_B).index)

    def test_uplinks_are_disjoint_30s(self):
        self.assertEqual(('10.198.128.1', '10.198.128.2'),
                         router_namespace.uplink_addresses(0))
        self.assertEqual(('10.198.128.5', '10.198.128.6'),
                         router_namespace.uplink_addresses(1))
        self.assertRaises(ValueError, router_namespace.uplink_addresses,
                          4096)


class _Recorder(object):

    def __init__(self):
        self.calls = []

    def update(self, *args):
        self.calls.append(args)


class RouterNamespaceTest(testtools.TestCase):
    """A namespace's round, with ip(8) recorded."""

    def setUp(self):
        super().setUp()
        self.commands = []
        for name in ('ip', 'run'):
            self.useFixture(fixtures.MonkeyPatch(
                'vrouter_testing.iproute.' + name,
                lambda *args, **kwargs: self.commands.append(args)))
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_cloud.netns.netdev_exists', lambda name, ns: False))
        self.namespace = router_namespace.RouterNamespace(
            ROUTER_A, 0, '10.198.0.2', ['10.198.0.11'], '/nonexistent',
            ('http://upstream', 'secret'))
        self.namespace.dhcp = _Recorder()
        self.namespace.floating_ips = _Recorder()

    def test_a_segment_is_made_once_and_its_gateway_follows_neutron(self):
        networks = {NET_A: _network(NET_A)}
        self.namespace.update(networks, [], set())
        made = list(self.commands)
        self.assertIn(('link', 'set', 'vrcx-aaaaaaaa', 'netns',
                       'vrcloud-rra000000'), made)
        self.assertIn(('address', 'add', '10.199.0.1/28', 'dev',
                       'vrcb-aaaaaaaa'), made)
        # The next rounds ask ip(8) nothing while nothing changes...
        del self.commands[:]
        self.namespace.update(networks, [], set())
        self.assertEqual([], self.commands)
        # ... and only for what changed.
        networks = {NET_A: _network(NET_A, cidr='10.199.0.16/28')}
        self.namespace.update(networks, [], set())
        self.assertEqual(
            [('address', 'add', '10.199.0.17/28', 'dev', 'vrcb-aaaaaaaa'),
             ('address', 'del', '10.199.0.1/28', 'dev', 'vrcb-aaaaaaaa')],
            self.commands)

    def test_a_router_s_floating_ips_and_servers_go_to_nat_and_dhcp(self):
        port = _port('port-a', NET_A)
        self.namespace.update({NET_A: _network(NET_A)}, [port],
                              {('10.198.100.10', '10.199.0.5')})
        self.assertEqual([({('10.198.100.10', '10.199.0.5')},)],
                         self.namespace.floating_ips.calls)
        [(subnets, hosts)] = self.namespace.dhcp.calls
        self.assertEqual({(NET_A, '10.199.0.0/28', 1450)}, subnets)
        self.assertEqual({('fa:16:3e:00:00:01', '10.199.0.5')}, hosts)
        self.assertEqual(('server-port-a', 'p'),
                         self.namespace.owner('10.199.0.5'))
        self.assertIsNone(self.namespace.owner('10.199.0.6'))
