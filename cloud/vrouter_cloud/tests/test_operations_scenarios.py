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

"""The scenarios' own logic on a harness that answers as a cloud would.

No cloud here: the harness and the nodes are mocks that answer what a
cloud answers (servers settle, ports register, guests answer, or not),
so that what each scenario concludes from it, and what it reports, is
tested; the cloud-operations job itself tests the events.
"""

from unittest import mock

import fixtures
import testtools

from vrouter_cloud.operations import agent_events
from vrouter_cloud.operations import compute_restart
from vrouter_cloud.operations import reboot
from vrouter_cloud.operations import report
from vrouter_cloud.operations import servers
from vrouter_cloud.operations import upgrade


def _server(status='ACTIVE', host='vrcloud-node1', fault=None):
    return mock.Mock(status=status, compute_host=host, fault=fault,
                     instance_name='vrcloud-00000001', task_state=None)


class ScenarioTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatch('time.sleep'))
        self.nodes = [mock.Mock(compute_started_at=100.0),
                      mock.Mock(compute_started_at=100.0)]
        self.nodes[0].name = 'vrcloud-node1'
        self.nodes[1].name = 'vrcloud-node2'
        for node in self.nodes:
            node.domains.return_value = ['vrcloud-00000001']
        self.h = mock.Mock()
        self.h.node.side_effect = lambda i: self.nodes[i]
        self.h.ports_on.return_value = ['p1', 'p2']
        self.h.deletes.return_value = []
        self.h.unreachable.return_value = []
        self.h.first_answer.return_value = 110.0
        self.booted = []

        def boot(name, host):
            booted = servers.Booted('id-' + name, name, 'port-' + name, host,
                                    '10.197.240.9')
            self.booted.append(booted)
            return booted

        self.h.boot.side_effect = boot
        self.statuses = {}
        self.h.servers.wait.side_effect = lambda ids, timeout: dict(
            (i, _server(self.statuses.get(i, 'ACTIVE'))) for i in ids)

        def registered(node, ports, timeout, since=None):
            return dict((p, 1.5) for p in ports), []

        self.h.registered.side_effect = registered
        self.result = report.Result(0, 'test')


class AgentRestartTest(ScenarioTestCase):

    def test_every_port_back(self):
        agent_events.agent_restart(self.h, self.result)
        self.assertEqual([], self.result.failures)
        for node in self.nodes:
            node.stop_agent.assert_called_once_with(kill=True)
            node.start_agent.assert_called_once_with()
        # The second node's agent died once the first boot had its file,
        # and all three are pinged once settled.
        self.assertEqual(3, len(self.booted))
        self.h.ping.assert_called_once_with(self.booted)
        self.assertIn('during 3 boots, vrcloud-node2', self.result.notes[1])
        self.assertIn('3 ACTIVE, 0 ERROR; 5 of 5 ports registered',
                      self.result.notes[1])
        # Only the boots that failed with the agent in their fault are
        # expected in ERROR.
        expected = self.h.check.call_args_list[1][1]['expected_error']
        self.assertTrue(expected('x', 'Failed to plug VIF: The connection '
                                      'to the vRouter agent at 127.0.0.1'
                                      ':9091 was lost'))
        self.assertFalse(expected('x', 'No valid host was found'))

    def test_a_port_the_replay_skipped_is_reported(self):
        def registered(node, ports, timeout, since=None):
            return dict((p, 1.5) for p in ports[1:]), ports[:1]

        self.h.registered.side_effect = registered
        agent_events.agent_restart(self.h, self.result)
        self.assertEqual(
            [mock.call(self.result, self.nodes[0], ['p1']),
             mock.call(self.result, self.nodes[1], ['p1'])],
            self.h.not_registered.call_args_list)

    def test_a_boot_in_error_is_not_pinged(self):
        self.statuses['id-ops-1-1'] = 'ERROR'
        agent_events.agent_restart(self.h, self.result)
        self.h.ping.assert_called_once_with([self.booted[0],
                                             self.booted[2]])


class AgentDownTest(ScenarioTestCase):

    def test_boots_with_the_agent_down(self):
        agent_events.agent_down(self.h, self.result)
        self.assertEqual([], self.result.failures)
        self.nodes[0].stop_agent.assert_called_once_with()
        self.assertIn(agent_events.DPDK_NOTE, self.result.notes)

    def test_a_kernel_boot_that_fails_is_a_failure(self):
        self.statuses['id-ops-6-0'] = 'ERROR'
        agent_events.agent_down(self.h, self.result)
        self.assertEqual(['1 kernel boots failed with the agent down'],
                         self.result.failures)

    def test_guests_that_do_not_answer(self):
        self.h.unreachable.return_value = ['ops-6-2']
        agent_events.agent_down(self.h, self.result)
        self.assertIn('ops-6-2', self.result.failures[0])


class ComputeRestartTest(ScenarioTestCase):

    def test_no_delete(self):
        compute_restart.compute_restart(self.h, self.result)
        self.assertEqual([], self.result.failures)
        self.nodes[0].stop_compute.assert_called_once_with()
        self.nodes[1].stop_compute.assert_called_once_with(kill=True)
        # The interrupted boot, and only it, is an expected ERROR; it
        # goes at the end.
        expected = self.h.check.call_args_list[1][1]['expected_error']
        self.assertTrue(expected('id-ops-2-killed', ''))
        self.assertFalse(expected('id-ops-base-00', ''))
        self.h.remove.assert_called_once_with(self.booted)

    def test_a_delete_at_the_agent_fails(self):
        self.h.deletes.return_value = ['p2']
        compute_restart.compute_restart(self.h, self.result)
        self.assertEqual(['1 DELETE at the agent of vrcloud-node1: p2',
                          '1 DELETE at the agent of vrcloud-node2: p2'],
                         self.result.failures)


class RebootTest(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.h.base = [servers.Booted('id-a', 'ops-base-00', 'pa',
                                      'vrcloud-node1', '10.197.240.9'),
                       servers.Booted('id-b', 'ops-base-01', 'pb',
                                      'vrcloud-node2', '10.197.240.10')]
        self.h.servers.get.side_effect = lambda i: _server(
            host='vrcloud-node1' if i == 'id-a' else 'vrcloud-node2')

    def test_back_in_time(self):
        self.h.wait_back.return_value = ({'ops-base-00': 1.5},
                                         {'ops-base-00': 9.0})
        self.h.back_after.return_value = {'ops-base-00': 190.0}
        reboot.host_reboot(self.h, self.result)
        self.assertEqual([], self.result.failures)
        self.nodes[0].power_off.assert_called_once_with()
        self.nodes[0].start.assert_called_once_with()
        self.h.wait_back.assert_called_once_with(
            self.nodes[0], [self.h.base[0]], reboot.TIMEOUT, since=100.0)
        # Answering 90 s after nova-compute's start is the guest's boot
        # (81 s after its domain started), not a late server.
        self.assertIn('ops-base-00 ACTIVE, registered 1.5 s, running 9.0 s, '
                      'answering 90.0 s (its guest\'s boot 81.0 s)',
                      self.result.notes[0])

    def test_late_or_never(self):
        for registered, running in (({'ops-base-00': 61.0},
                                     {'ops-base-00': 9.0}),
                                    ({'ops-base-00': 1.5}, {})):
            result = report.Result(3, 'host reboot')
            self.h.wait_back.return_value = (registered, running)
            self.h.back_after.return_value = {'ops-base-00': 130.0}
            reboot.host_reboot(self.h, result)
            self.assertEqual(['not ACTIVE, registered and running within 60 '
                              's of nova-compute\'s start: ops-base-00'],
                             result.failures)

    def test_a_guest_that_never_answers(self):
        self.h.wait_back.return_value = ({'ops-base-00': 1.5},
                                         {'ops-base-00': 9.0})
        self.h.back_after.return_value = {'ops-base-00': None}
        reboot.host_reboot(self.h, self.result)
        self.assertEqual(['not answering pings 300 s after nova-compute\'s '
                          'start: ops-base-00'], self.result.failures)
        self.assertIn('answering never', self.result.notes[0])


class UpgradeTest(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.h.layout.build = '/top/.cloud-build'
        self.reader = self.h.reader.return_value
        self.reader.port_file.return_value = {
            'author': '/usr/bin/vrouter-port-control', 'display-name': 'a'}
        self.reader.registration.return_value = {'display-name': 'a'}
        self.plugins = self.useFixture(fixtures.MockPatchObject(
            upgrade, 'os_vif_plugins')).mock
        self.plugins.side_effect = [
            upgrade._expected_plugins(upgrade.VENDOR_DISTRIBUTION),
            upgrade._expected_plugins(upgrade.THIS_DISTRIBUTION)]
        self.install = self.useFixture(fixtures.MockPatchObject(
            upgrade, 'install_ours', return_value=[('pip', 1.0)])).mock

    def test_the_guides_steps(self):
        upgrade.in_place_upgrade(self.h, self.result)
        self.assertEqual([], self.result.failures)
        node = self.nodes[1]
        node.use_compute.assert_called_once_with(
            '/top/.cloud-build/venv-stock')
        node.start_compute.assert_called_once_with()
        self.assertIn('step 1 (lock_path) and 3 (scripts calling '
                      'vrouter-port-control) not exercised',
                      self.result.notes[0])

    def test_ports_without_a_classic_file(self):
        self.reader.port_file.return_value = {'author': 'os-vif-vrouter'}
        upgrade.in_place_upgrade(self.h, self.result)
        self.assertIn('before the upgrade, 0 of the 2 ports on '
                      'vrcloud-node2 have a classic port file',
                      self.result.failures)

    def test_a_delete_at_the_agent_fails(self):
        self.h.deletes.return_value = ['p1']
        upgrade.in_place_upgrade(self.h, self.result)
        self.assertEqual(['1 DELETE at the agent of vrcloud-node2: p1'],
                         self.result.failures)
