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

"""The harness on files as the pinger and the agents write them (no cloud).
"""

import errno
import os
from unittest import mock

import fixtures
import testtools

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import node as cloud_node
from vrouter_cloud.operations import harness
from vrouter_cloud.operations import probes
from vrouter_cloud.operations import report
from vrouter_cloud.operations import servers

PORT_A = '0b9a3c2e-5d4f-4e6a-8b7c-9d0e1f2a3b4c'
PORT_B = '1c8b4d3f-6e5a-4f7b-9c8d-0e1f2a3b4c5d'


class HarnessTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        top = self.useFixture(fixtures.TempDir()).path
        self.layout = cloud_layout.Layout(
            top, run_dir=os.path.join(top, 'run'))
        self.nodes = [cloud_node.Node(self.layout, 1),
                      cloud_node.Node(self.layout, 2)]
        self.cloud_nodes = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.cloud.nodes', return_value=self.nodes)).mock
        servers_class = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.operations.servers.Servers')).mock
        servers_class.return_value.network.id = 'net-1234'
        self.neutron = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.neutron_view.Neutron')).mock
        self.neutron.return_value.router_interfaces.return_value = {
            'net-1234': ['0123abcd-router']}
        self.exists = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.netns.exists', return_value=True)).mock
        self.useFixture(fixtures.MockPatch('time.sleep'))

    def _harness(self):
        return harness.Harness(self.layout, mock.Mock())

    def test_pings_from_the_namespace_of_the_networks_router(self):
        h = self._harness()
        self.assertEqual(cloud_layout.ROUTER_NETNS_PREFIX + '0123abcd',
                         h.namespace)
        self.exists.assert_called_once_with(h.namespace)

    def test_two_nodes_and_the_namespace_or_nothing(self):
        self.cloud_nodes.return_value = self.nodes[:1]
        exc = self.assertRaises(harness.SetUpFailed, harness.Harness,
                                self.layout, mock.Mock())
        self.assertIn('the job needs two', str(exc))
        self.cloud_nodes.return_value = self.nodes
        self.exists.return_value = False
        self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.operations.harness.NAMESPACE_TIMEOUT', 0))
        exc = self.assertRaises(harness.SetUpFailed, harness.Harness,
                                self.layout, mock.Mock())
        self.assertIn('is the gateway running?', str(exc))

    def test_waits_for_the_gateway_to_make_the_namespace(self):
        # The job can start before the gateway's round that follows the
        # network's router.
        self.exists.side_effect = [False, False, True]
        h = self._harness()
        self.assertEqual(3, self.exists.call_count)
        self.assertEqual(cloud_layout.ROUTER_NETNS_PREFIX + '0123abcd',
                         h.namespace)

    def test_targets_by_name(self):
        h = self._harness()
        a = servers.Booted('id-a', 'ops-base-00', PORT_A, 'n1', '10.0.0.5')
        b = servers.Booted('id-b', 'ops-1-0', PORT_B, 'n2', '10.0.0.6')
        h.ping([a, b])
        h.unping([a])
        with open(h.targets_file) as f:
            self.assertEqual('ops-1-0 10.0.0.6\n', f.read())
        self.assertEqual({'ops-base-00', 'ops-1-0'}, h.pinged)

    def _pings(self, h, *records):
        with open(h.pings_file, 'w') as f:
            f.writelines(r + '\n' for r in records)

    def _count(self, name, t, sent, answered, lost, first, last,
               open_lost=0, unsent=0, unsent_errno=None):
        track = mock.Mock(sent=sent, answered=answered, lost=lost,
                          open_lost=open_lost, first_answer=first,
                          last_answer=last, unsent=unsent,
                          unsent_errno=unsent_errno)
        return probes.count_record(name, track, t)

    def test_unreachable_names_who_did_not_answer_since(self):
        h = self._harness()
        self._pings(h, self._count('a', 10.0, 100, 100, 0, 1.0, 9.9),
                    self._count('b', 10.0, 100, 10, 0, 1.0, 4.0))
        a = servers.Booted('id-a', 'a', PORT_A, 'n1', '10.0.0.5')
        b = servers.Booted('id-b', 'b', PORT_B, 'n2', '10.0.0.6')
        clock = iter([0.0, 1.0, 2.0, 3.0])
        with mock.patch('time.monotonic', lambda: next(clock)):
            self.assertEqual(['b'], h.unreachable([a, b], 5.0, timeout=1))

    def test_the_pings_of_a_window(self):
        h = self._harness()
        h.pinged = {'a', 'b', 'c'}
        self._pings(
            h, self._count('a', 10.0, 1000, 1000, 0, 1.0, 9.9),
            self._count('b', 10.0, 1000, 1000, 0, 1.0, 9.9),
            self._count('c', 10.0, 1000, 0, 0, None, None),
            probes.gap_record('b', probes.Gap(12.0, 12.3, 29), 12.4),
            self._count('a', 20.0, 2000, 2000, 0, 1.0, 19.9),
            self._count('b', 20.0, 2000, 1971, 29, 1.0, 19.9),
            self._count('c', 20.0, 2000, 0, 0, None, None))
        result = report.Result(1, 'x', gap_limit=0.1)
        h._check_pings(result, 10.0, 20.0)
        self.assertEqual({'a': harness.PING_INTERVAL, 'b': 0.3},
                         {k: round(v, 3) for k, v in result.gaps.items()})
        self.assertEqual(29, result.packets_lost)
        self.assertEqual(['c never answered a ping'], result.failures)

    def test_probes_the_pinger_could_not_send_fail_the_measure(self):
        h = self._harness()
        h.pinged = {'a'}
        self._pings(
            h, self._count('a', 10.0, 1000, 1000, 0, 1.0, 9.9),
            self._count('a', 20.0, 1900, 1900, 0, 1.0, 19.9, unsent=100,
                        unsent_errno=errno.ENOBUFS))
        result = report.Result(1, 'x', gap_limit=0.1)
        h._check_pings(result, 10.0, 20.0)
        self.assertEqual(0, result.packets_lost)
        self.assertEqual(
            ['the pinger could not send 100 probes to a (%s): its gaps are '
             'not measured' % os.strerror(errno.ENOBUFS)], result.failures)

    def test_back_after_a_reboot_registration_and_domain_apart(self):
        h = self._harness()
        a = servers.Booted('id-a', 'a', PORT_A, 'n1', '10.0.0.5')
        b = servers.Booted('id-b', 'b', PORT_B, 'n1', '10.0.0.6')
        h.servers.get.side_effect = lambda i: mock.Mock(
            instance_name={'id-a': 'vrcloud-00000001',
                           'id-b': 'vrcloud-00000002'}[i])
        node = mock.Mock()
        # a: registered at once, its domain running at the third look;
        # b: its domain runs at the fourth, its port is never registered
        # (the fifth look is past the timeout).
        both = ['vrcloud-00000001', 'vrcloud-00000002']
        node.domains.side_effect = [[], [], ['vrcloud-00000001'], both,
                                    both]
        registered = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.operations.checks.registered_ports',
            return_value=[PORT_A])).mock
        self.useFixture(fixtures.MockPatchObject(h, 'agent_lines'))
        clock = iter([10.0, 11.0, 12.0, 13.0, 14.0, 20.0])
        with mock.patch('time.monotonic', lambda: next(clock)):
            self.assertEqual(({'a': 1.0}, {'a': 3.0, 'b': 4.0}),
                             h.wait_back(node, [a, b], 5.0, since=10.0))
        node.domains.assert_called_with(running_only=True)
        self.assertEqual(5, registered.call_count)

    def _agent_log(self, node, *lines):
        path = node.layout.log(cloud_node.AGENT)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'a') as f:
            f.writelines('2026-12-06 15:00:00,000 INFO agent %s\n' % line
                         for line in lines)

    def test_registrations_since_the_mark(self):
        node = self.nodes[0]
        self._agent_log(node, 'registered ' + PORT_A)
        h = self._harness()
        h.mark_agent_logs()
        self._agent_log(node, 'replay skipped %s: Interface does not '
                        'exist in OS' % PORT_A, 'registered ' + PORT_B)
        times, missing = h.registered(node, [PORT_A, PORT_B], timeout=0)
        self.assertEqual([PORT_B], list(times))
        self.assertEqual([PORT_A], missing)
        result = report.Result(1, 'x')
        h.not_registered(result, node, missing)
        self.assertEqual(['%s: not registered again: %s (replay skipped '
                          'it: Interface does not exist in OS)' % (
                              node.name, PORT_A)], result.failures)
