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

import ast
import errno
import os
from unittest import mock

import fixtures
import pyroute2

from os_vif_vrouter import exception
from os_vif_vrouter import privileged
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'


class TestPortFileEntrypoints(base.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path

    def test_write_read_remove(self):
        self.assertIsNone(privileged.read_port_file(self.dir, PORT))
        privileged.write_port_file(self.dir, PORT, '{"display-name": "é"}')
        self.assertEqual('{"display-name": "é"}',
                         privileged.read_port_file(self.dir, PORT))
        self.assertTrue(privileged.remove_port_file(self.dir, PORT))
        self.assertFalse(privileged.remove_port_file(self.dir, PORT))

    def test_write_takes_text_only(self):
        self.assertRaises(TypeError, privileged.write_port_file, self.dir,
                          PORT, b'{}')

    def test_names_checked_again(self):
        # The daemon trusts no caller: a string no checked port has.
        for port_dir, port_id in (
                (self.dir, '../../etc/passwd'), (self.dir, PORT.upper()),
                (self.dir, ''), ('etc', PORT), (self.dir + '\x00', PORT),
                (None, PORT)):
            self.assertRaises(ValueError, privileged.write_port_file,
                              port_dir, port_id, '{}')
            self.assertRaises(ValueError, privileged.read_port_file,
                              port_dir, port_id)
            self.assertRaises(ValueError, privileged.remove_port_file,
                              port_dir, port_id)
        self.assertEqual([], os.listdir(self.dir))

    def test_port_dir_normalised(self):
        privileged.write_port_file(self.dir + '//./', PORT, '{}')
        self.assertEqual('{}', privileged.read_port_file(self.dir, PORT))


class TestDisableIpv6(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf_dir = self.useFixture(fixtures.TempDir()).join('conf')
        os.makedirs(os.path.join(self.conf_dir, 'eth5'))

    def test_writes_one(self):
        self.assertTrue(privileged.disable_ipv6_in(self.conf_dir, 'eth5'))
        with open(os.path.join(self.conf_dir, 'eth5', 'disable_ipv6')) as f:
            self.assertEqual('1', f.read())

    def test_missing_device(self):
        self.assertRaises(exception.NetworkDeviceNotFound,
                          privileged.disable_ipv6_in, self.conf_dir, 'eth6')

    def test_ipv6_disabled_on_host(self):
        self.assertFalse(privileged.disable_ipv6_in(
            os.path.join(self.conf_dir, 'absent'), 'eth5'))

    def test_entrypoint_writes_under_proc(self):
        with mock.patch.object(privileged, 'disable_ipv6_in',
                               return_value=True) as helper:
            self.assertTrue(privileged.disable_ipv6('eth5'))
        helper.assert_called_once_with('/proc/sys/net/ipv6/conf', 'eth5')

    def test_device_name_checked_again(self):
        for bad in ('../all', 'all/../../x', '', 'x' * 16, None):
            self.assertRaises(ValueError, privileged.disable_ipv6, bad)


class TestSetLinkState(base.TestCase):

    def test_already_up_is_left_alone(self):
        # The loopback is up: no SIOCSIFFLAGS, so no privilege needed.
        self.assertFalse(privileged.set_link_state('lo', 'up'))

    def test_missing_device(self):
        self.assertRaises(exception.NetworkDeviceNotFound,
                          privileged.set_link_state, 'vrtnosuchdev0', 'up')

    def test_arguments_validated(self):
        self.assertRaises(ValueError, privileged.set_link_state, 'lo',
                          'sideways')
        self.assertRaises(ValueError, privileged.set_link_state, 'a:b',
                          'up')

    def test_no_hand_packed_ioctl(self):
        # Link state goes through a maintained netlink library (pyroute2,
        # an os-vif dependency), not a struct ifreq packed by hand.
        with open(privileged.__file__) as f:
            tree = ast.parse(f.read())
        imported = {alias.name for node in ast.walk(tree)
                    if isinstance(node, (ast.Import, ast.ImportFrom))
                    for alias in node.names}
        self.assertNotIn('fcntl', imported)
        self.assertNotIn('struct', imported)
        self.assertIn('pyroute2', imported)

    def test_netlink_errors_are_typed(self):
        # Only the change is refused: pyroute2 0.7 (OpenStack 2024.1's)
        # looks links up through IPRoute.link too, and turns a failed
        # lookup into "no such link".
        real_link = getattr(pyroute2.IPRoute, 'link', None)

        def refused(ipr, command, *args, **kwargs):
            if command == 'set':
                raise pyroute2.NetlinkError(errno.EPERM)
            if real_link is None:
                # pyroute2 0.9: IPRoute's methods come from __getattr__.
                return type(ipr).__getattr__(ipr, 'link')(
                    command, *args, **kwargs)
            return real_link(ipr, command, *args, **kwargs)

        netdev = base.netdev_or_skip(self)
        self.useFixture(fixtures.MonkeyPatch(
            'pyroute2.IPRoute.link', refused))
        exc = self.assertRaises(exception.NetworkDeviceError,
                                privileged.set_link_state, netdev.name, 'up')
        self.assertIn(netdev.name, str(exc))

    def test_up_and_down_on_a_real_netdev(self):
        netdev = base.netdev_or_skip(self)
        self.assertFalse(netdev.is_up())
        self.assertTrue(privileged.set_link_state(netdev.name, 'up'))
        self.assertTrue(netdev.is_up())
        self.assertFalse(privileged.set_link_state(netdev.name, 'up'))
        self.assertTrue(privileged.set_link_state(netdev.name, 'down'))
        self.assertFalse(netdev.is_up())

    def test_disable_ipv6_on_a_real_netdev(self):
        netdev = base.netdev_or_skip(self)
        path = '/proc/sys/net/ipv6/conf/%s/disable_ipv6' % netdev.name
        if not os.path.exists(path):
            self.skipTest('IPv6 is disabled on this host')
        self.assertTrue(privileged.disable_ipv6(netdev.name))
        with open(path) as f:
            self.assertEqual('1', f.read().strip())
