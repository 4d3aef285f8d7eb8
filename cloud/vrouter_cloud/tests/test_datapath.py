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

"""One round of a node's datapath, the devices and ip(8) faked: which
device of each port joins which segment, on a kernel and a DPDK node."""

import collections
import os
from unittest import mock

import fixtures
import testtools

from vrouter_cloud import datapath

NETWORK = '5c6d7e8f-0a1b-4c2d-8e3f-4a5b6c7d8e9f'
KERNEL_PORT = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'
DPDK_PORT = '1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d'
BRIDGE = 'vrcb-5c6d7e8f'
Network = collections.namedtuple('Network', 'id vni mtu')


def _port(port_id, **extra):
    return dict({'type': 0, 'vn-id': NETWORK,
                 'system-name': ('tap' + port_id)[:14]}, **extra)


class DatapathRoundTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.devices = {}  # name -> master
        self.calls = []
        sys_net = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(sys_net, BRIDGE))
        with open(os.path.join(sys_net, BRIDGE, 'mtu'), 'w') as f:
            f.write('1450\n')
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.iproute.SYS_NET', sys_net))
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.iproute.netdevs',
            lambda: sorted(self.devices)))
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.iproute.netdev_master', self.devices.get))
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.iproute.ip',
            lambda *args, **kwargs: self.calls.append(args)))
        self.ensure = self.useFixture(fixtures.MockPatch(
            'vrouter_cloud.segment.ensure', return_value=BRIDGE)).mock
        self.agent = mock.Mock()
        self.neutron = mock.Mock()
        self.neutron.network.return_value = Network(NETWORK, 42, 1450)

    def _datapath(self, vhostuser=None):
        return datapath.KernelDatapath(self.agent, self.neutron,
                                       '10.198.0.13', ['10.198.0.2'],
                                       vhostuser=vhostuser)

    def test_a_kernel_port_s_tap_joins_its_segment(self):
        self.agent.ports.return_value = {KERNEL_PORT: _port(KERNEL_PORT)}
        path = self._datapath()
        # The segment is made in this round (no bridge yet when the
        # datapath started).
        self.devices.update({'tap0f1e2d3c-4b': None, BRIDGE: None})
        path.sync()
        self.ensure.assert_called_once_with(NETWORK, 42, 1450,
                                            '10.198.0.13', ['10.198.0.2'])
        self.assertEqual([('link', 'set', 'dev', 'tap0f1e2d3c-4b', 'mtu',
                           '1450', 'master', BRIDGE, 'up')], self.calls)

    def test_a_vhostuser_port_s_forwarder_tap_joins_its_segment(self):
        plane = mock.Mock()
        plane.device.return_value = 'vrcd-1a2b3c4d'
        self.agent.ports.return_value = {
            KERNEL_PORT: _port(KERNEL_PORT),
            DPDK_PORT: _port(DPDK_PORT, **{'vhostuser-mode': 1})}
        # No device of the vhost-user port's name ever exists.
        self.devices.update({'tap0f1e2d3c-4b': None, 'vrcd-1a2b3c4d': None,
                             BRIDGE: None})
        self._datapath(plane).sync()
        plane.sync.assert_called_once_with(
            {DPDK_PORT: ('tap1a2b3c4d-5e', 1)})
        self.assertEqual(sorted([
            ('link', 'set', 'dev', 'tap0f1e2d3c-4b', 'mtu', '1450',
             'master', BRIDGE, 'up'),
            ('link', 'set', 'dev', 'vrcd-1a2b3c4d', 'mtu', '1450',
             'master', BRIDGE, 'up')]), sorted(self.calls))

    def test_a_forwarder_tap_of_a_lost_port_leaves_the_segment(self):
        plane = mock.Mock()
        plane.device.return_value = 'vrcd-1a2b3c4d'
        self.agent.ports.return_value = {KERNEL_PORT: _port(KERNEL_PORT)}
        self.devices.update({'tap0f1e2d3c-4b': BRIDGE,
                             'vrcd-1a2b3c4d': BRIDGE, BRIDGE: None})
        path = self._datapath(plane)
        path._segments.add(NETWORK[:8])
        path.sync()
        plane.sync.assert_called_once_with({})
        self.assertEqual([('link', 'set', 'dev', 'vrcd-1a2b3c4d',
                           'nomaster')], self.calls)

    def test_stop_stops_the_forwarders(self):
        plane = mock.Mock()
        self._datapath(plane).stop()
        plane.stop.assert_called_once_with()
