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

"""The gateway's pieces that need no namespace: NAT rules, the metadata
proxy (against a real HTTP server on loopback), the QEMU reachability
check, libvirt's option files and the nodes of a run directory."""

import http.client
import json
import os
import stat
import subprocess
import sys
import urllib.error
import urllib.request

import fixtures
import testtools

from vrouter_cloud import cloud
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import metadata_proxy
from vrouter_cloud import nat
from vrouter_cloud import node as cloud_node
from vrouter_cloud import procs
from vrouter_cloud import underlay


class RulesetTest(testtools.TestCase):

    def test_each_floating_ip_both_ways(self):
        text = nat.ruleset({('10.198.100.11', '10.199.0.5'),
                            ('10.198.100.12', '10.199.0.21')}, 'uplink')
        self.assertIn('ip daddr 10.198.100.11 dnat to 10.199.0.5', text)
        self.assertIn('ip daddr 10.198.100.12 dnat to 10.199.0.21', text)
        self.assertIn('ip saddr 10.199.0.5 oifname "uplink" snat to '
                      '10.198.100.11', text)
        # Replaced as a whole: the table is deleted in the same script.
        self.assertTrue(text.startswith(
            'table ip vrcloud_fip\ndelete table ip vrcloud_fip\n'))

    def test_the_rest_leaves_from_the_uplink_after_the_floating_ips(self):
        text = nat.ruleset({('10.198.100.11', '10.199.0.5')}, 'uplink')
        lines = text.splitlines()
        self.assertLess(
            lines.index('    ip saddr 10.199.0.5 oifname "uplink" snat to '
                        '10.198.100.11'),
            lines.index('    oifname "uplink" masquerade'))

    def test_no_floating_ip_empty_prerouting(self):
        text = nat.ruleset(set(), 'uplink')
        self.assertNotIn('dnat', text)
        self.assertNotIn('snat', text)
        self.assertIn('type nat hook prerouting', text)
        self.assertIn('oifname "uplink" masquerade', text)


class MetadataProxyTest(testtools.TestCase):
    """The proxy between a client and Nova's metadata API, over HTTP."""

    def setUp(self):
        super().setUp()
        self.seen_file = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'seen')
        peer = subprocess.Popen(
            [sys.executable, '-m', 'vrouter_cloud.tests.metadata_peer',
             self.seen_file], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, cwd=os.path.dirname(os.path.dirname(
                os.path.dirname(os.path.abspath(__file__)))))
        self.addCleanup(peer.wait, 30)
        self.addCleanup(peer.stdin.close)
        self.url = 'http://127.0.0.1:%d' % int(peer.stdout.readline())

    def _seen(self):
        try:
            with open(self.seen_file) as f:
                return [json.loads(line) for line in f]
        except FileNotFoundError:
            return []

    def test_signed_instance_id_goes_upstream(self):
        with urllib.request.urlopen(
                self.url + '/latest/meta-data/hostname') as answer:
            self.assertEqual(b'server-1.novalocal', answer.read())
        [(path, headers)] = self._seen()
        self.assertEqual('/latest/meta-data/hostname', path)
        self.assertEqual({
            'X-Instance-ID': 'instance-uuid',
            'X-Tenant-ID': 'project-uuid',
            'X-Forwarded-For': '127.0.0.1',
            'X-Instance-ID-Signature': metadata_proxy.signature(
                'the-secret', 'instance-uuid')}, headers)

    def test_a_post_goes_upstream_with_its_body(self):
        # What a guest does with its password (tempest's basic ops).
        request = urllib.request.Request(
            self.url + '/openstack/2013-10-17/password', data=b'secret',
            method='POST')
        with urllib.request.urlopen(request) as answer:
            self.assertEqual(200, answer.status)
        self.assertEqual(
            [['/openstack/2013-10-17/password', 'secret',
              'application/x-www-form-urlencoded']], self._seen())

    def test_a_post_too_large_is_refused_and_not_passed_on(self):
        request = urllib.request.Request(
            self.url + '/openstack/2013-10-17/password',
            data=b'x' * (metadata_proxy.MAX_BODY + 1), method='POST')
        exc = self.assertRaises(urllib.error.HTTPError,
                                urllib.request.urlopen, request)
        self.assertEqual(413, exc.code)
        self.assertEqual([], self._seen())

    def test_upstream_errors_pass_through(self):
        exc = self.assertRaises(urllib.error.HTTPError,
                                urllib.request.urlopen,
                                self.url + '/latest/meta-data/nothing')
        self.assertEqual(404, exc.code)
        self.assertEqual(1, len(self._seen()))

    def test_unknown_source_is_refused(self):
        # The peer's proxy knows 127.0.0.1 only: ask from another
        # loopback address.
        request = urllib.request.Request(self.url + '/latest/meta-data/')
        conn = http.client.HTTPConnection(
            '127.0.0.1', int(self.url.rsplit(':', 1)[1]),
            source_address=('127.0.0.2', 0), timeout=10)
        conn.request('GET', request.selector)
        self.assertEqual(404, conn.getresponse().status)
        conn.close()
        self.assertEqual([], self._seen())

    def test_signature_is_nova_s(self):
        # What Nova's metadata handler computes: HMAC-SHA256 of the
        # instance id keyed with the shared secret, in hex (a known
        # answer, worked out once).
        self.assertEqual(
            '6bfc434beba7ac3e9476945b0cbfd40a'
            'e0243d20253253da993bb54c9f75088c',
            metadata_proxy.signature('the-secret', 'instance-uuid'))


class UnreachableTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.top = self.useFixture(fixtures.TempDir()).path
        os.chmod(self.top, 0o755)

    def test_a_private_directory_on_the_way(self):
        private = os.path.join(self.top, 'home')
        os.makedirs(os.path.join(private, 'clone'))
        os.chmod(private, 0o700)
        self.assertEqual(private, cloud_layout.unreachable_by(
            os.path.join(private, 'clone', 'run', 'instances'), 'nobody'))

    def test_every_directory_traversable(self):
        path = os.path.join(self.top, 'clone', 'run')
        os.makedirs(path)
        self.assertIsNone(cloud_layout.unreachable_by(
            os.path.join(path, 'instances'), 'nobody'))

    def test_default_run_dir_moves_out_of_reach_of_nobody(self):
        os.chmod(self.top, 0o700)
        run_dir = cloud_layout.default_run_dir(self.top, 'nobody')
        self.assertTrue(run_dir.startswith('/var/tmp/%s-run-' %
                                           cloud_layout.NAME))
        self.assertEqual(run_dir,
                         cloud_layout.default_run_dir(self.top, 'nobody'))
        self.assertNotEqual(run_dir, cloud_layout.default_run_dir(
            os.path.join(self.top, 'other'), 'nobody'))

    def test_default_run_dir_stays_in_the_checkout_if_reachable(self):
        self.assertEqual(os.path.join(self.top, '.cloud-build', 'run'),
                         cloud_layout.default_run_dir(self.top, 'nobody'))

    def test_up_refuses_an_unreachable_run_dir_and_says_why(self):
        os.chmod(self.top, 0o700)
        layout = cloud_layout.Layout(
            self.top, run_dir=os.path.join(self.top, 'run'))
        exc = self.assertRaises(procs.ServiceFailed, cloud._check_reachable,
                                layout)
        self.assertIn('cannot enter %s (mode 700)' % self.top, str(exc))
        self.assertIn('VRCLOUD_RUN_DIR', str(exc))
        self.assertEqual(0o700, stat.S_IMODE(os.stat(self.top).st_mode))


class RoutesTest(testtools.TestCase):

    def test_the_external_gateway_is_the_host_s(self):
        calls = []
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.iproute.ip',
            lambda *args, **kwargs: calls.append((args, kwargs))))
        underlay.route_to_gateway()
        self.assertEqual([
            (('route', 'replace', '10.198.128.0/18', 'via', '10.198.0.2'),
             {}),
            (('route', 'replace', '10.198.100.0/24', 'via', '10.198.0.2'),
             {}),
            # /32: the rest of the floating range stays with the gateway.
            (('address', 'replace', '10.198.100.1/32', 'dev', 'vrcm-br'),
             {}),
            (('route', 'replace', '10.198.100.1', 'via', '10.198.0.1'),
             {'netns': 'vrcloud-gw'})], calls)


class LibvirtOptionsTest(testtools.TestCase):

    def test_options_replace_the_host_s(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'libvirtd.conf')
        with open(path, 'w') as f:
            f.write('# listen_tls = 0\nlisten_tcp = 0\nunix_sock_group = '
                    '"libvirt"\n')
        cloud_node.set_options(path, {'listen_tcp': '1',
                                      'host_uuid': '"u"'})
        with open(path) as f:
            lines = f.read().splitlines()
        self.assertEqual(['# listen_tls = 0', 'unix_sock_group = "libvirt"',
                          'listen_tcp = 1', 'host_uuid = "u"'], lines)


class NodesTest(testtools.TestCase):

    def test_nodes_of_a_run_directory(self):
        top = self.useFixture(fixtures.TempDir()).path
        # The run directory inside the temporary one (which is private:
        # the default would move out of QEMU's way, to /var/tmp).
        layout = cloud_layout.Layout(top, run_dir=os.path.join(top, 'run'))
        for name in ('vrcloud-node2', 'vrcloud-node1', 'other'):
            os.makedirs(layout.path('nodes', name))
        self.assertEqual([1, 2], cloud.node_indexes(layout))
        first, second = cloud.nodes(layout)
        self.assertEqual('10.198.0.11', first.layout.address)
        # Each node's peers: the gateway and the other nodes.
        self.assertEqual(['10.198.0.2', '10.198.0.12'], first.peers)
        self.assertEqual(['10.198.0.2', '10.198.0.11'], second.peers)
        self.assertNotEqual(first.layout.host_uuid,
                            second.layout.host_uuid)

    def test_nodes_file_for_tempest(self):
        top = self.useFixture(fixtures.TempDir()).path
        # The run directory inside the temporary one (which is private:
        # the default would move out of QEMU's way, to /var/tmp).
        layout = cloud_layout.Layout(top, run_dir=os.path.join(top, 'run'))
        os.makedirs(layout.etc('x'))
        cloud._write_nodes_file(layout, cloud.nodes(layout, 2))
        with open(layout.nodes_file) as f:
            described = json.load(f)
        self.assertEqual(['vrcloud-node1', 'vrcloud-node2'],
                         [n['host'] for n in described['nodes']])
        self.assertEqual('http://10.198.0.12:9091',
                         described['nodes'][1]['agent_url'])
        self.assertEqual(['--top', top, 'node'],
                         described['node_command'][-3:])


class InstanceTest(testtools.TestCase):
    """Two clouds on one machine meet nowhere."""

    def _layout(self, instance):
        script = ('import json; from vrouter_cloud import layout as l; '
                  'print(json.dumps([l.NAME, l.PREFIX, l.MANAGEMENT_CIDR, '
                  'l.GUEST_CIDR, l.FLOATING_CIDR, l.DEFAULT_PORT_BASE, '
                  'l.node_name(1), l.MANAGEMENT_BRIDGE, l.BRIDGE_PREFIX]))')
        env = dict(os.environ, VRCLOUD_INSTANCE=str(instance))
        env.pop('VRCLOUD_PORT_BASE', None)
        return json.loads(subprocess.run(
            [sys.executable, '-c', script], env=env, check=True,
            capture_output=True, text=True,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                os.path.abspath(__file__))))).stdout)

    def test_second_cloud_has_its_own_names_networks_and_ports(self):
        first, second = self._layout(0), self._layout(1)
        self.assertEqual(['vrcloud', 'vrc', '10.198.0.0/24',
                          '10.199.0.0/16', '10.198.100.0/24', 19400,
                          'vrcloud-node1', 'vrcm-br', 'vrcb-'], first)
        self.assertEqual(['vrcloud1', 'vrc1', '10.196.0.0/24',
                          '10.197.0.0/16', '10.196.100.0/24', 19500,
                          'vrcloud1-node1', 'vrc1m-br', 'vrc1b-'], second)

    def test_each_cloud_cleans_only_its_own_devices(self):
        # The first cloud's prefix is the start of the second's.
        for name, ours in (('vrcm-br', True), ('vrcb-0123abcd', True),
                           ('vrcm-node2', True), ('vrc1m-br', False),
                           ('vrc1b-0123abcd', False), ('vrcloud', False),
                           ('vrbp-gw', False), ('tap0123', False)):
            self.assertEqual(ours, cloud_layout.is_cloud_device(name), name)
