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

"""A DPDK node's forwarders, one step per round, without testpmd: each
forwarder is a fake with testpmd's interface (start, command, log,
running, stop), and the clock is the test's.  testpmd itself is the
functional suite's (test_testpmd, test_dpdk)."""

import fixtures
import testtools

from vrouter_cloud import vhostuser_plane

PORT = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'
OTHER = '1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d'
DEVICE = 'tap0f1e2d3c-4b'
WRAPPER = ['chroot', '/root-of-node']


class FakeForwarder(object):
    """testpmd.PortForwarder's interface, driven by the test."""

    made = []

    def __init__(self, socket, log_path, tap=None, niceness=None,
                 private_run='/run', wrapper=()):
        self.socket = socket
        self.log_path = log_path
        self.tap = tap
        self.niceness = niceness
        self.private_run = private_run
        self.wrapper = tuple(wrapper)
        self.output = ''
        self.commands = []
        self.alive = False
        self.stopped = False
        self.process = None
        FakeForwarder.made.append(self)

    def start(self):
        self.alive = True
        self.output = 'EAL: ...\n'

    def command(self, line):
        self.commands.append(line)

    def log(self):
        return self.output

    def running(self):
        return self.alive

    def stop(self, timeout=None):
        self.alive = False
        self.stopped = True


class VhostUserPlaneTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        FakeForwarder.made = []
        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.testpmd.PortForwarder', FakeForwarder))
        self.now = 1000.0
        self.useFixture(fixtures.MonkeyPatch(
            'time.monotonic', lambda: self.now))
        self.taps = set()
        self.log_dir = self.useFixture(fixtures.TempDir()).path
        self.plane = vhostuser_plane.VhostUserPlane(
            WRAPPER, self.log_dir, self.taps.__contains__)
        self.errors = self.useFixture(fixtures.MockPatchObject(
            vhostuser_plane.LOG, 'error')).mock

    def _sync(self, ports=None, after=0.1):
        self.now += after
        self.plane.sync({PORT: (DEVICE, 1)} if ports is None else ports)

    def _forwarding(self):
        self._sync()
        forwarder = FakeForwarder.made[-1]
        self.taps.add(forwarder.tap)
        self._sync()
        forwarder.output += 'io packet forwarding - ports=2\n'
        self._sync()
        return forwarder

    def test_a_port_gets_a_forwarder_in_the_root(self):
        self._sync()
        forwarder, = FakeForwarder.made
        self.assertEqual('/var/run/vrouter/uvh_vif_' + DEVICE,
                         forwarder.socket)
        self.assertEqual('vrcd-0f1e2d3c', forwarder.tap)
        self.assertEqual('vrcd-0f1e2d3c', self.plane.device(PORT))
        self.assertEqual(tuple(WRAPPER), forwarder.wrapper)
        self.assertEqual('/run/dpdk', forwarder.private_run)
        self.assertEqual(19, forwarder.niceness)
        self.assertEqual(self.log_dir + '/' + PORT + '.log',
                         forwarder.log_path)
        self.assertTrue(forwarder.alive)

    def test_forwarding_starts_once_the_tap_exists(self):
        self._sync()
        forwarder, = FakeForwarder.made
        self._sync()
        # testpmd has not set its ports up yet: its prompt is not there.
        self.assertEqual([], forwarder.commands)
        self.taps.add(forwarder.tap)
        self._sync()
        self.assertEqual(['set fwd io', 'start'], forwarder.commands)
        self.assertEqual([], self.plane.forwarding())
        forwarder.output += 'io packet forwarding - ports=2\n'
        self._sync()
        self.assertEqual([PORT], self.plane.forwarding())
        for _ in range(3):
            self._sync()
        self.assertEqual(['set fwd io', 'start'], forwarder.commands)
        self.assertEqual(1, len(FakeForwarder.made))

    def test_a_port_the_agent_lost_loses_its_forwarder(self):
        forwarder = self._forwarding()
        self._sync({})
        self.assertTrue(forwarder.stopped)
        self.assertEqual([], self.plane.forwarding())

    def test_each_port_its_own_forwarder(self):
        self._sync({PORT: (DEVICE, 1), OTHER: ('tap1a2b3c4d-5e', 1)})
        self.assertEqual(['vrcd-0f1e2d3c', 'vrcd-1a2b3c4d'],
                         sorted(f.tap for f in FakeForwarder.made))
        self._sync({OTHER: ('tap1a2b3c4d-5e', 1)})
        stopped = [f.tap for f in FakeForwarder.made if f.stopped]
        self.assertEqual(['vrcd-0f1e2d3c'], stopped)

    def test_a_forwarder_that_exits_starts_again_later_and_later(self):
        forwarder = self._forwarding()
        starts = []
        for _ in range(9):
            forwarder.alive = False
            forwarder.process = type('P', (), {'returncode': 1})()
            self._sync()  # found dead
            failed_at = self.now
            made = len(FakeForwarder.made)
            while len(FakeForwarder.made) == made:
                self._sync(after=0.5)
            starts.append(round(self.now - failed_at))
            forwarder = FakeForwarder.made[-1]
        # Doubling from 1 s, never more than a minute apart.
        self.assertEqual([1, 2, 4, 8, 16, 32, 60, 60, 60], starts)
        self.assertIn('testpmd exited (1)', self.errors.call_args[0][3])

    def test_a_forwarder_that_never_forwards_is_stopped(self):
        self._sync()
        forwarder, = FakeForwarder.made
        self.taps.add(forwarder.tap)
        self._sync()
        self._sync(after=vhostuser_plane.VhostUserPlane.START_TIMEOUT)
        self.assertTrue(forwarder.stopped)
        self.assertIn('not forwarding after 60 s',
                      self.errors.call_args[0][3])
        # What testpmd said last, before the next start rewrites its log.
        self.assertEqual('EAL: ...', self.errors.call_args[0][5])

    def test_a_forwarder_without_a_tap_is_stopped(self):
        self._sync()
        forwarder, = FakeForwarder.made
        self._sync(after=vhostuser_plane.VhostUserPlane.START_TIMEOUT + 1)
        self.assertTrue(forwarder.stopped)
        self.assertIn('no tap vrcd-0f1e2d3c', self.errors.call_args[0][3])

    def test_a_forwarder_that_cannot_start_is_tried_later(self):
        def broken(forwarder):
            raise FileNotFoundError(2, 'No such file or directory', 'chroot')
        self.useFixture(fixtures.MonkeyPatch(
            __name__ + '.FakeForwarder.start', broken))
        self._sync()
        self.assertIn('cannot start testpmd', self.errors.call_args[0][3])
        self.assertEqual([], self.plane.forwarding())
        made = len(FakeForwarder.made)
        self._sync(after=0.5)
        self.assertEqual(made, len(FakeForwarder.made))
        self._sync(after=0.5)
        self.assertEqual(made + 1, len(FakeForwarder.made))
        self.assertEqual(2, self.errors.call_count)

    def test_a_port_served_by_the_vrouter_is_refused_once(self):
        for _ in range(5):
            self._sync({PORT: (DEVICE, 0)})
        self.assertEqual([], FakeForwarder.made)
        self.errors.assert_called_once()
        self.assertEqual((PORT, 0, 1), self.errors.call_args[0][1:])

    def test_a_port_back_after_failures_starts_at_once(self):
        forwarder = self._forwarding()
        forwarder.alive = False
        forwarder.process = type('P', (), {'returncode': 1})()
        self._sync()
        self._sync({})
        made = len(FakeForwarder.made)
        self._sync(after=0.01)
        self.assertEqual(made + 1, len(FakeForwarder.made))

    def test_stop_stops_every_forwarder(self):
        self._sync({PORT: (DEVICE, 1), OTHER: ('tap1a2b3c4d-5e', 1)})
        self.plane.stop()
        self.assertEqual([True, True],
                         [f.stopped for f in FakeForwarder.made])
        self.assertEqual([], self.plane.forwarding())
