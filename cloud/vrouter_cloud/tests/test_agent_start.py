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

"""A node agent that starts takes over the datapath after its replay."""

from unittest import mock

import testtools

from vrouter_cloud import agent


class AgentStartTest(testtools.TestCase):

    KERNEL = ['--local', '10.196.0.11', '/ports']
    DPDK = ['--local', '10.196.0.12', '--dpdk-root', '/root',
            '--forwarder-logs', '/logs', '/ports']

    def _main(self, argv, replay_skipped=()):
        """agent.main(argv), its parts mocked: the mock of their calls."""
        calls = mock.MagicMock()
        stand_in = calls.stand_in.return_value.__enter__.return_value
        stand_in.port = 9091
        stand_in.replay_skipped = list(replay_skipped)
        with mock.patch.object(agent, '_LoggingStandIn', calls.stand_in), \
                mock.patch.object(agent.datapath, 'KernelDatapath',
                                  calls.datapath), \
                mock.patch.object(agent.vhostuser_plane, 'VhostUserPlane',
                                  calls.plane), \
                mock.patch.object(agent, 'neutron_view'), \
                mock.patch.object(agent, 'openstack'), \
                mock.patch.object(agent, 'signal'), \
                mock.patch.object(agent, 'logging', calls.logging), \
                mock.patch.object(agent, 'threading'), \
                mock.patch('builtins.print'):
            self.assertEqual(0, agent.main(argv))
        return calls

    @staticmethod
    def _order(calls):
        return [name for name, _, _ in calls.mock_calls
                if name in ('stand_in().__enter__().start',
                            'datapath().start', 'datapath().stop')]

    def test_datapath_starts_after_the_replay(self):
        # The datapath's first round takes off their segments the taps of
        # ports the agent does not have: before the port files are
        # replayed, that is every running guest's tap.
        calls = self._main(self.KERNEL)
        self.assertEqual(['stand_in().__enter__().start',
                          'datapath().start', 'datapath().stop'],
                         self._order(calls))
        self.assertTrue(calls.stand_in.call_args[1]['check_devices'])
        self.assertIsNone(calls.datapath.call_args[1]['vhostuser'])
        calls.plane.assert_not_called()

    def test_the_files_its_replay_skipped_are_logged(self):
        calls = self._main(self.KERNEL, replay_skipped=[
            ('5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b',
             'Interface does not exist in OS')])
        calls.logging.getLogger.return_value.info.assert_any_call(
            'replay skipped %s: %s', '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b',
            'Interface does not exist in OS')

    def test_a_dpdk_agent_replays_without_devices_then_forwards(self):
        # A vhost-user port has no device of its name: a DPDK node's
        # agent replays every file, and its datapath, which starts after
        # the replay as a kernel node's does, gets the forwarders.
        calls = self._main(self.DPDK)
        self.assertFalse(calls.stand_in.call_args[1]['check_devices'])
        self.assertIs(calls.plane.return_value,
                      calls.datapath.call_args[1]['vhostuser'])
        self.assertEqual('/logs', calls.plane.call_args[0][1])
        self.assertEqual(['stand_in().__enter__().start',
                          'datapath().start', 'datapath().stop'],
                         self._order(calls))
