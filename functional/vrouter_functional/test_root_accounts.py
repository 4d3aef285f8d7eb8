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

"""The backports root's accounts aligned with the host's (root_accounts).

The plan is pure and tested everywhere; renumbering a root's files needs
chown() to any id, so those tests run as root (as the functional suite
does) and skip otherwise.
"""

import os
import stat
from unittest import mock

import fixtures
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies
import testtools

from vrouter_functional import root_accounts

# Debian 12 with bookworm-backports' libvirt, as mmdebstrap builds it.
ROOT_GROUPS = {'root': 0, 'users': 100, 'input': 101, 'sgx': 102,
               'kvm': 103, 'render': 104, 'rdma': 105, 'messagebus': 106,
               'libvirt': 107, 'systemd-journal': 999,
               'libvirt-qemu': 64055, 'nogroup': 65534}


def apply_moves(ids, moves):
    """{name: id} after the moves, checking each lands on a free id."""
    ids = dict(ids)
    for old, new in moves:
        assert new not in ids.values(), (new, ids)
        ids = {name: new if number == old else number
               for name, number in ids.items()}
    return ids


class PlanTest(testtools.TestCase):

    def test_aligned_root_is_left_alone(self):
        moves, notes = root_accounts.plan(
            ROOT_GROUPS, {'kvm': 103, 'libvirt': 107})
        self.assertEqual(([], []), (moves, notes))

    def test_free_id(self):
        moves, notes = root_accounts.plan(ROOT_GROUPS, {'kvm': 109})
        self.assertEqual(([(103, 109)], []), (moves, notes))

    def test_id_of_another_group(self):
        # The machine: the host's /dev/kvm is gid 107, the root's
        # libvirt group holds 107.
        moves, notes = root_accounts.plan(ROOT_GROUPS, {'kvm': 107})
        self.assertEqual([], notes)
        self.assertEqual([(107, 108), (103, 107)], moves)
        after = apply_moves(ROOT_GROUPS, moves)
        self.assertEqual((107, 108), (after['kvm'], after['libvirt']))

    def test_ids_crossed_between_host_and_root(self):
        # Each side gave kvm the id the other gave libvirt.
        root = {'kvm': 107, 'libvirt': 108, 'rdma': 105}
        moves, notes = root_accounts.plan(root, {'kvm': 108, 'libvirt': 107})
        self.assertEqual([], notes)
        self.assertEqual({'kvm': 108, 'libvirt': 107, 'rdma': 105},
                         apply_moves(root, moves))

    def test_moved_group_takes_no_wanted_id(self):
        root = {'kvm': 103, 'libvirt': 104, 'rdma': 105}
        moves, _ = root_accounts.plan(root, {'kvm': 105, 'libvirt': 101})
        after = apply_moves(root, moves)
        self.assertEqual((105, 101), (after['kvm'], after['libvirt']))
        self.assertEqual(102, after['rdma'])

    def test_fixed_id_stays(self):
        moves, notes = root_accounts.plan(ROOT_GROUPS, {'kvm': 100})
        self.assertEqual([], moves)
        self.assertEqual(
            ['kvm: left at 103, as 100 is users, a fixed id that means '
             'the same on the host'], notes)

    def test_name_missing_in_root(self):
        moves, notes = root_accounts.plan(ROOT_GROUPS, {'libvirt-dnsmasq': 5})
        self.assertEqual([], moves)
        self.assertEqual(['libvirt-dnsmasq: not in the root'], notes)

    def test_two_names_one_id(self):
        error = self.assertRaises(
            root_accounts.AccountsError, root_accounts.plan,
            ROOT_GROUPS, {'kvm': 110, 'libvirt': 110})
        self.assertEqual('kvm and libvirt both want id 110', str(error))

    def test_root_with_one_id_twice(self):
        error = self.assertRaises(
            root_accounts.AccountsError, root_accounts.plan,
            {'kvm': 103, 'render': 103}, {'kvm': 110})
        self.assertEqual('the root has id 103 twice (kvm and render)',
                         str(error))

    @settings(max_examples=300, deadline=None)
    @given(strategies.data())
    def test_any_dynamic_ids(self, data):
        names = ['kvm', 'libvirt', 'libvirt-qemu', 'rdma', 'render']
        dynamic = strategies.integers(101, 130)
        root = dict(zip(names, data.draw(strategies.lists(
            dynamic, min_size=5, max_size=5, unique=True))))
        wanted_names = data.draw(strategies.lists(
            strategies.sampled_from(names[:3]), unique=True))
        wanted = dict(zip(wanted_names, data.draw(strategies.lists(
            dynamic, min_size=len(wanted_names),
            max_size=len(wanted_names), unique=True))))

        moves, notes = root_accounts.plan(root, wanted)

        self.assertEqual([], notes)
        after = apply_moves(root, moves)
        for name, number in wanted.items():
            self.assertEqual(number, after[name])
        self.assertEqual(sorted(after), sorted(root))
        # Planned again on the result: nothing left to do.
        self.assertEqual(([], []), root_accounts.plan(after, wanted))


class MountPointsTest(testtools.TestCase):

    def test_escapes(self):
        path = self.useFixture(fixtures.TempDir()).join('mountinfo')
        with open(path, 'w') as f:
            f.write('22 1 0:21 / / rw - ext4 /dev/vda rw\n'
                    '30 22 0:5 / /srv/a\\040b rw - tmpfs tmpfs rw\n')
        self.assertEqual({'/', '/srv/a b'}, root_accounts.mount_points(path))


class HostWantedTest(testtools.TestCase):

    def test_names_the_host_has(self):
        groups = {'kvm': 109, 'libvirt': 108}
        self.useFixture(fixtures.MockPatch(
            'grp.getgrnam', side_effect=lambda name: mock.Mock(
                gr_gid=groups[name])))
        self.useFixture(fixtures.MockPatch(
            'pwd.getpwnam', side_effect=lambda name: mock.Mock(
                pw_uid={'libvirt-qemu': 64055}[name])))
        self.assertEqual(({'kvm': 109, 'libvirt': 108},
                          {'libvirt-qemu': 64055}),
                         root_accounts.host_wanted())


class AlignTest(testtools.TestCase):
    """A small root: account files and files owned by the accounts."""

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest('chown() to any id needs root')
        self.root = self.useFixture(fixtures.TempDir()).path
        os.mkdir(os.path.join(self.root, 'etc'))
        self.write('etc/group', 'root:x:0:\nkvm:x:103:\nlibvirt:x:107:\n'
                   'libvirt-qemu:x:64055:libvirt-qemu\n')
        self.write('etc/passwd',
                   'root:x:0:0:root:/root:/bin/bash\n'
                   'libvirt-qemu:x:64055:103:Libvirt Qemu,,,:'
                   '/var/lib/libvirt:/usr/sbin/nologin\n')
        self.write('qemu', '', uid=64055, gid=103)
        self.write('socket-dir', '', gid=107, mode=0o2770)
        os.symlink('qemu', self.path('link'))
        os.lchown(self.path('link'), 64055, 103)

    def path(self, name):
        return os.path.join(self.root, name)

    def write(self, name, text, uid=0, gid=0, mode=0o644):
        with open(self.path(name), 'w') as f:
            f.write(text)
        os.chown(self.path(name), uid, gid)
        os.chmod(self.path(name), mode)

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read()

    def owner(self, name):
        st = os.lstat(self.path(name))
        return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)

    def assertAligned(self):
        self.assertEqual('root:x:0:\nkvm:x:107:\nlibvirt:x:101:\n'
                         'libvirt-qemu:x:64055:libvirt-qemu\n',
                         self.read('etc/group'))
        self.assertIn('libvirt-qemu:x:64055:107:', self.read('etc/passwd'))
        self.assertEqual((64055, 107, 0o644), self.owner('qemu'))
        self.assertEqual((0, 101, 0o2770), self.owner('socket-dir'))
        self.assertEqual((64055, 107), self.owner('link')[:2])

    def test_kvm_takes_the_id_of_libvirt(self):
        notes = root_accounts.align(self.root, {'kvm': 107}, {})
        self.assertEqual(['gid 107 -> 101 (1 files)',
                          'gid 103 -> 107 (2 files)'], notes)
        self.assertAligned()
        # Aligned: nothing more to do.
        self.assertEqual([], root_accounts.align(self.root, {'kvm': 107}, {}))

    def test_user(self):
        notes = root_accounts.align(self.root, {}, {'libvirt-qemu': 500})
        self.assertEqual(['uid 64055 -> 500 (2 files)'], notes)
        self.assertIn('libvirt-qemu:x:500:103:', self.read('etc/passwd'))
        self.assertEqual((500, 103), self.owner('qemu')[:2])

    def test_stopped_half_way_then_run_again(self):
        # Stopped after the files of the first move, before the account
        # files: the next run finishes the same moves.
        real_write = root_accounts.write_db
        with mock.patch.object(root_accounts, 'write_db',
                               side_effect=KeyboardInterrupt):
            self.assertRaises(KeyboardInterrupt, root_accounts.align,
                              self.root, {'kvm': 107}, {})
        self.assertEqual((0, 101, 0o2770), self.owner('socket-dir'))
        self.assertIn('libvirt:x:107:', self.read('etc/group'))
        self.assertIs(real_write, root_accounts.write_db)
        root_accounts.align(self.root, {'kvm': 107}, {})
        self.assertAligned()

    def test_set_id_bits_kept(self):
        # chown() clears them on an executable.
        self.write('helper', '', uid=64055, gid=103, mode=0o6755)
        root_accounts.align(self.root, {'kvm': 107}, {'libvirt-qemu': 500})
        self.assertEqual((500, 107, 0o6755), self.owner('helper'))

    def test_capability_kept(self):
        self.write('ping', '', gid=103, mode=0o755)
        try:
            os.setxattr(self.path('ping'), 'security.capability',
                        b'\x01\x00\x00\x02\x00\x20\x00\x00' + b'\x00' * 12)
        except OSError as exc:
            self.skipTest('no file capabilities here: %s' % exc)
        root_accounts.align(self.root, {'kvm': 107}, {})
        self.assertEqual((0, 107, 0o755), self.owner('ping'))
        self.assertEqual(
            b'\x01\x00\x00\x02\x00\x20\x00\x00' + b'\x00' * 12,
            os.getxattr(self.path('ping'), 'security.capability'))
