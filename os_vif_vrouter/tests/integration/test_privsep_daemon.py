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

"""The real privsep daemon, with the capabilities our context keeps.

Run as root only (the daemon must start as root to drop to its
capabilities).  It checks the choice of CAP_NET_ADMIN alone: the daemon
writes the agent's root-owned port directory and sets links up and down,
and cannot write a directory root does not own (no CAP_DAC_OVERRIDE).
"""

import os
import sys

import fixtures

from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import privileged
from os_vif_vrouter import privsep
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
NOBODY = 65534


class TestPrivsepDaemon(base.TestCase):

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest('the privsep daemon must be started as root')
        helper = os.path.join(os.path.dirname(sys.executable),
                              'privsep-helper')
        if not os.path.exists(helper):
            self.skipTest('no privsep-helper beside %s' % sys.executable)
        # The daemon imports os_vif_vrouter.privsep from where we do.
        self.useFixture(fixtures.EnvironmentVariable(
            'PYTHONPATH', os.pathsep.join(sys.path)))
        self.useFixture(fixtures.EnvironmentVariable(
            'PYTHONWARNINGS', 'ignore'))
        # No sudo: we are root already.  No config file: the daemon keeps
        # the capabilities the context declares.
        self.conf.set_override('helper_command', helper,
                               group=constants.PRIVSEP_CONFIG_GROUP)
        privsep.vif_plug.set_client_mode(True)
        privsep.vif_plug.start()
        self.addCleanup(privsep.vif_plug.stop)
        self.tmp = self.useFixture(fixtures.TempDir())

    def test_writes_a_root_owned_port_dir(self):
        port_dir = self.tmp.join('ports')
        os.mkdir(port_dir, 0o755)
        privileged.write_port_file(port_dir, PORT, '{"id": "%s"}' % PORT)
        self.assertEqual('{"id": "%s"}' % PORT,
                         privileged.read_port_file(port_dir, PORT))
        self.assertTrue(privileged.remove_port_file(port_dir, PORT))

    def test_cannot_write_a_dir_root_does_not_own(self):
        port_dir = self.tmp.join('not-roots')
        os.mkdir(port_dir, 0o755)
        os.chown(port_dir, NOBODY, NOBODY)
        exc = self.assertRaises(exception.PortFileError,
                                privileged.write_port_file, port_dir, PORT,
                                '{}')
        self.assertIn('Permission denied', str(exc))
        self.assertEqual([], os.listdir(port_dir))

    def test_sets_link_state(self):
        netdev = base.netdev_or_skip(self)
        self.assertTrue(privileged.set_link_state(netdev.name, 'up'))
        self.assertTrue(netdev.is_up())
        self.assertTrue(privileged.set_link_state(netdev.name, 'down'))
        self.assertFalse(netdev.is_up())
        self.assertRaises(exception.NetworkDeviceNotFound,
                          privileged.set_link_state, 'vrtnosuchdev0', 'up')
