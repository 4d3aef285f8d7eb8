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

"""The port forwarder's command line, output parsing and stopping.

testpmd itself forwards a guest's traffic in test_dpdk (QEMU 10); here
the parts that need no DPDK: processes that stand in for testpmd are
ordinary commands (cat reads its stdin as testpmd's prompt does).
"""

import fixtures
import testtools
from vrouter_testing import testpmd

SOCKET = '/var/run/vrouter/uvh_vif_tap0123456789'

# dpdk-testpmd 22.11's answer to 'show port stats all', two ports.
PORT_STATS = '''testpmd> show port stats all

  ######################## NIC statistics for port 0  ########################
  RX-packets: 12         RX-missed: 0          RX-bytes:  1176
  RX-errors: 0
  RX-nombuf:  0
  TX-packets: 9          TX-errors: 0          TX-bytes:  882

  Throughput (since last show)
  Rx-pps:            0          Rx-bps:            0
  Tx-pps:            0          Tx-bps:            0
  ############################################################################

  ######################## NIC statistics for port 1  ########################
  RX-packets: 9          RX-missed: 0          RX-bytes:  882
  RX-errors: 0
  RX-nombuf:  0
  TX-packets: 12         TX-errors: 0          TX-bytes:  1176

  Throughput (since last show)
  Rx-pps:            0          Rx-bps:            0
  Tx-pps:            0          Tx-bps:            0
  ############################################################################
testpmd> '''


class ArgvTest(testtools.TestCase):

    def test_vhostuser_port_alone(self):
        argv = testpmd.PortForwarder(SOCKET, '/tmp/log').argv()
        self.assertEqual(
            ['unshare', '--mount', '--propagation', 'private', '--',
             'sh', '-c', 'mount -t tmpfs -o mode=755 testpmd-run /run && '
             'exec "$@"', 'testpmd-run',
             'stdbuf', '-o0', 'dpdk-testpmd', '-l', '0-1', '--no-huge',
             '-m', '256', '--no-pci', '--no-shconf', '--no-telemetry',
             '--vdev', 'net_vhost0,iface=%s,client=1,queues=1' % SOCKET,
             '--', '--total-num-mbufs=16384', '--no-mlockall',
             '--interactive', '--rxq=1', '--txq=1'], argv)

    def test_tap_queues_niceness_and_wrapper(self):
        argv = testpmd.PortForwarder(
            SOCKET, '/tmp/log', tap='vrbt0', queues=2, niceness=19,
            lcores='0@1,1@1', private_run='/run/dpdk',
            wrapper=['chroot', '/srv/root']).argv()
        self.assertEqual(['chroot', '/srv/root', 'unshare'], argv[:3])
        self.assertEqual(
            ['mount -t tmpfs -o mode=755 testpmd-run /run/dpdk && '
             'exec "$@"', 'testpmd-run', 'nice', '-n', '19', 'stdbuf',
             '-o0', 'dpdk-testpmd', '-l', '0@1,1@1'], argv[9:19])
        self.assertIn('net_vhost0,iface=%s,client=1,queues=2' % SOCKET, argv)
        self.assertEqual(['--vdev', 'net_tap0,iface=vrbt0', '--'],
                         argv[argv.index('net_tap0,iface=vrbt0') - 1:][:3])
        self.assertEqual(['--rxq=2', '--txq=2'], argv[-2:])


class PortStatsTest(testtools.TestCase):

    def test_two_ports(self):
        self.assertEqual({0: {'rx': 12, 'tx': 9}, 1: {'rx': 9, 'tx': 12}},
                         testpmd.parse_port_stats(PORT_STATS))

    def test_nothing_yet(self):
        self.assertEqual({}, testpmd.parse_port_stats('testpmd> '))


class ProcessTest(testtools.TestCase):
    """start/stop/wait_for with commands standing in for testpmd."""

    def forwarder(self, argv):
        log = self.useFixture(fixtures.TempDir()).join('testpmd.log')
        forwarder = testpmd.PortForwarder(SOCKET, log)
        self.useFixture(fixtures.MockPatchObject(
            forwarder, 'argv', return_value=argv))
        forwarder.start()
        self.addCleanup(forwarder.stop, timeout=5)
        return forwarder

    def test_commands_reach_stdin_and_stop_ends_it(self):
        forwarder = self.forwarder(['cat'])
        forwarder.command('show port stats all')
        forwarder.wait_for('show port stats all', timeout=30)
        self.assertTrue(forwarder.running())
        forwarder.stop(timeout=30)
        self.assertFalse(forwarder.running())
        # quit went to stdin, then stdin closed: cat ended by itself.
        self.assertEqual(0, forwarder.process.returncode)
        self.assertIn('quit', forwarder.log())

    def test_killed_if_it_does_not_quit(self):
        forwarder = self.forwarder(['sleep', '600'])
        forwarder.stop(timeout=0.5)
        self.assertEqual(-9, forwarder.process.returncode)

    def test_exit_before_the_answer(self):
        forwarder = self.forwarder(['sh', '-c', 'echo EAL: failed; exit 3'])
        error = self.assertRaises(testpmd.TestPmdError, forwarder.wait_for,
                                  'io packet forwarding', timeout=30)
        self.assertIn('testpmd exited (3)', str(error))
        self.assertIn('EAL: failed', str(error))

    def test_no_answer_in_time(self):
        forwarder = self.forwarder(['cat'])
        error = self.assertRaises(testpmd.TestPmdError, forwarder.wait_for,
                                  'io packet forwarding', timeout=0.3)
        self.assertIn("no 'io packet forwarding' from testpmd after 0.3 s",
                      str(error))

    def test_stop_before_start(self):
        testpmd.PortForwarder(SOCKET, '/nonexistent').stop()
