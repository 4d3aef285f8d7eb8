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

import os

import fixtures

from os_vif_translate import exception as osvt_exception
from os_vif_vrouter import exception
from os_vif_vrouter import representor
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import fake_sysfs

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
PF0 = '0000:0a:00.0'
PF1 = '0000:0a:00.1'
SWITCH = 'a1b2c3d4e5f60708'


class ResolverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir())
        self.sysfs = fake_sysfs.FakeSysfs(tmp.join('sys'))
        self.map_path = tmp.join('fallback_map')
        self.resolver = representor.Resolver(sysfs_root=self.sysfs.root,
                                             map_path=self.map_path)

    def write_map(self, text):
        with open(self.map_path, 'w') as f:
            f.write(text)


class TestSwitchdev(ResolverTestCase):

    def test_pf_vf_port_names(self):
        # Two PFs of one NIC share the switch id; the PF number in
        # pf<P>vf<N> tells their representors apart.
        self.sysfs.add_pf(PF0, 'enp10s0f0', SWITCH,
                          ['0000:0a:02.0', '0000:0a:02.1'])
        self.sysfs.add_pf(PF1, 'enp10s0f1', SWITCH,
                          ['0000:0a:06.0', '0000:0a:06.1'])
        for pf in (0, 1):
            for vf in (0, 1):
                self.sysfs.add_representor('rep%d_%d' % (pf, vf), SWITCH,
                                           'pf%dvf%d' % (pf, vf))
        self.sysfs.add_netdev('eth9')
        self.assertEqual('rep0_1',
                         self.resolver.from_switchdev('0000:0a:02.1'))
        self.assertEqual('rep1_0',
                         self.resolver.from_switchdev('0000:0a:06.0'))
        self.assertEqual(('rep1_1', representor.SOURCE_SWITCHDEV),
                         self.resolver.resolve(PORT, '0000:0a:06.1', None))

    def test_vf_port_names(self):
        self.sysfs.add_pf(PF0, 'ens1', SWITCH, ['0000:0a:02.0',
                                                '0000:0a:02.1'])
        self.sysfs.add_representor('ens1_0', SWITCH, 'vf0')
        self.sysfs.add_representor('ens1_1', SWITCH, 'vf1')
        self.assertEqual('ens1_1',
                         self.resolver.from_switchdev('0000:0a:02.1'))

    def test_other_switch_ignored(self):
        self.sysfs.add_pf(PF0, 'ens1', SWITCH, ['0000:0a:02.0'])
        self.sysfs.add_representor('other_0', 'ffff', 'pf0vf0')
        self.assertIsNone(self.resolver.from_switchdev('0000:0a:02.0'))

    def test_pf_not_in_switchdev_mode(self):
        self.sysfs.add_pf(PF0, 'ens1', '', ['0000:0a:02.0'])
        self.sysfs.add_representor('ens1_0', '', 'pf0vf0')
        self.assertIsNone(self.resolver.from_switchdev('0000:0a:02.0'))

    def test_not_a_vf(self):
        self.sysfs.add_pf(PF0, 'ens1', SWITCH, [])
        self.assertIsNone(self.resolver.from_switchdev(PF0))
        self.assertIsNone(self.resolver.from_switchdev('0000:0b:00.0'))

    def test_unreadable_sysfs(self):
        self.sysfs.add_pf(PF0, 'ens1', SWITCH, ['0000:0a:02.0'])
        self.sysfs.add_representor('ens1_0', SWITCH, 'pf0vf0')
        attr = os.path.join(self.sysfs.root, 'class', 'net', 'ens1_0',
                            'phys_port_name')
        os.unlink(attr)
        os.mkdir(attr)  # reading it fails with EISDIR
        exc = self.assertRaises(exception.RepresentorLookupError,
                                self.resolver.resolve, PORT,
                                '0000:0a:02.0', 'tapx')
        self.assertIn('0000:0a:02.0', str(exc))


class TestVendorMap(ResolverTestCase):

    def test_map(self):
        self.write_map('0 0000:0a:08.0 nfp_v0.0 0\n'
                       '0 0000:0a:08.1 nfp_v0.1 1\n'
                       'garbage line\n'
                       '0 0000:0a:08.2 nfp_v0.2 x\n'
                       '0 0000:0A:08.3 nfp_v0.3 59\n'
                       '0 0000:0a:0f.4 nfp_v0.60 60\n')
        self.assertEqual(('nfp_v0.1', representor.SOURCE_MAP),
                         self.resolver.resolve(PORT, '0000:0a:08.1', 'tap'))
        self.assertEqual('nfp_v0.3', self.resolver.from_map('0000:0a:08.3'))
        # VF numbers from 60 up are reserved.
        self.assertIsNone(self.resolver.from_map('0000:0a:0f.4'))
        self.assertIsNone(self.resolver.from_map('0000:0a:08.2'))
        self.assertIsNone(self.resolver.from_map('0000:0a:09.0'))

    def test_switchdev_first(self):
        self.sysfs.add_pf(PF0, 'ens1', SWITCH, ['0000:0a:02.0'])
        self.sysfs.add_representor('ens1_0', SWITCH, 'pf0vf0')
        self.write_map('0 0000:0a:02.0 nfp_v0.0 0\n')
        self.assertEqual(('ens1_0', representor.SOURCE_SWITCHDEV),
                         self.resolver.resolve(PORT, '0000:0a:02.0', 'tapx'))

    def test_no_map(self):
        self.assertIsNone(self.resolver.from_map('0000:0a:08.1'))
        resolver = representor.Resolver(sysfs_root=self.sysfs.root,
                                        map_path='')
        self.assertIsNone(resolver.from_map('0000:0a:08.1'))

    def test_unreadable_map(self):
        os.mkdir(self.map_path)
        self.assertRaises(exception.RepresentorLookupError,
                          self.resolver.from_map, '0000:0a:08.1')


class TestFallback(ResolverTestCase):

    def test_profile_name(self):
        self.assertEqual(('tap5ac0a8a5-7d', representor.SOURCE_PROFILE),
                         self.resolver.resolve(PORT, '0000:0a:08.1',
                                               'tap5ac0a8a5-7d'))

    def test_not_found(self):
        exc = self.assertRaises(exception.RepresentorNotFound,
                                self.resolver.resolve, PORT, '0000:0a:08.1',
                                None)
        self.assertIn(PORT, str(exc))
        self.assertIn('0000:0a:08.1', str(exc))

    def test_invalid_names_found_are_refused(self):
        # A name found on the host is new input: checked here.
        self.write_map('0 0000:0a:08.1 ../../etc 1\n')
        self.assertRaises(osvt_exception.InvalidDeviceName,
                          self.resolver.resolve, PORT, '0000:0a:08.1', None)
