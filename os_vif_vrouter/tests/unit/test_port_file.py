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
import stat

import fixtures

from os_vif_vrouter import exception
from os_vif_vrouter import port_file
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import watched_os

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'


class TestPortFile(base.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.path = os.path.join(self.dir, PORT)

    def test_write_read_remove(self):
        self.assertIsNone(port_file.read(self.dir, PORT))
        port_file.write(self.dir, PORT, b'{"a": 1}')
        self.assertEqual('{"a": 1}', port_file.read(self.dir, PORT))
        self.assertEqual(0o644, stat.S_IMODE(os.stat(self.path).st_mode))
        port_file.write(self.dir, PORT, b'{"a": 2}')
        self.assertEqual('{"a": 2}', port_file.read(self.dir, PORT))
        self.assertEqual([PORT], os.listdir(self.dir))
        self.assertTrue(port_file.remove(self.dir, PORT))
        self.assertFalse(port_file.remove(self.dir, PORT))
        self.assertEqual([], os.listdir(self.dir))

    def test_write_creates_missing_directory(self):
        port_dir = os.path.join(self.dir, 'var', 'ports')
        port_file.write(port_dir, PORT, b'{}')
        self.assertEqual('{}', port_file.read(port_dir, PORT))

    def test_file_mode_ignores_umask(self):
        old = os.umask(0o077)
        self.addCleanup(os.umask, old)
        port_file.write(self.dir, PORT, b'{}')
        self.assertEqual(0o644, stat.S_IMODE(os.stat(self.path).st_mode))

    def test_big_content_written_in_chunks(self):
        seen = []
        self.useFixture(watched_os.watch_port_file_writes(seen.append))
        data = b'x' * (3 * 64 * 1024 + 5)
        port_file.write(self.dir, PORT, data)
        self.assertEqual([65536, 131072, 196608, len(data)], seen)
        with open(self.path, 'rb') as f:
            self.assertEqual(data, f.read())

    def test_failed_write_leaves_old_file_and_no_temp(self):
        port_file.write(self.dir, PORT, b'old')

        def fail(written):
            raise OSError(28, 'No space left on device')

        self.useFixture(watched_os.watch_port_file_writes(fail))
        exc = self.assertRaises(exception.PortFileError, port_file.write,
                                self.dir, PORT, b'new')
        # The cause first: Nova cuts an instance fault at 255 characters.
        self.assertEqual('Cannot write port file (No space left on device): '
                         '%s' % self.path, str(exc))
        self.assertEqual('old', port_file.read(self.dir, PORT))
        self.assertEqual([PORT], os.listdir(self.dir))

    def test_temp_files_are_not_port_files(self):
        names = []

        def look(written):
            names.extend(os.listdir(self.dir))

        self.useFixture(watched_os.watch_port_file_writes(look))
        port_file.write(self.dir, PORT, b'{}')
        self.assertEqual(1, len(names))
        self.assertTrue(names[0].startswith('.' + PORT + '.'))
        self.assertTrue(names[0].endswith('.tmp'))

    def test_read_refuses_huge_file(self):
        with open(self.path, 'wb') as f:
            f.truncate(port_file.MAX_SIZE + 1)
        self.assertRaises(exception.PortFileError, port_file.read,
                          self.dir, PORT)

    def test_read_non_utf8(self):
        with open(self.path, 'wb') as f:
            f.write(b'{"a": "\xff"}')
        self.assertEqual('{"a": "\ufffd"}', port_file.read(self.dir, PORT))

    def test_remove_directory_refused(self):
        os.mkdir(self.path)
        self.assertRaises(exception.PortFileError, port_file.remove,
                          self.dir, PORT)

    def test_write_into_a_file_path(self):
        not_a_dir = os.path.join(self.dir, 'file')
        with open(not_a_dir, 'w'):
            pass
        self.assertRaises(exception.PortFileError, port_file.write,
                          not_a_dir, PORT, b'{}')

    def test_stage_commit_discard(self):
        port_file.write(self.dir, PORT, b'old')
        staged = port_file.stage(self.dir, PORT, b'new')
        # Staged: the agent still reads the old file.
        self.assertEqual('old', port_file.read(self.dir, PORT))
        self.assertEqual(PORT, port_file.temp_port_id(staged))
        self.assertIsNone(port_file.temp_port_id(PORT))
        port_file.commit(self.dir, PORT, staged)
        self.assertEqual('new', port_file.read(self.dir, PORT))
        port_file.discard(self.dir, PORT, port_file.stage(self.dir, PORT,
                                                          b'never'))
        self.assertEqual([PORT], os.listdir(self.dir))

    def test_commit_refuses_other_names(self):
        other = '.%s.0a1b2c3d4e5f.tmp' % PORT.replace('5', '6')
        for bad in (other, PORT, '../x', '.%s.zz.tmp' % PORT, None):
            self.assertRaises(exception.PortFileError, port_file.commit,
                              self.dir, PORT, bad)

    def test_remove_takes_the_leftovers_too(self):
        port_file.write(self.dir, PORT, b'{}')
        leftover = '.%s.0a1b2c3d4e5f.tmp' % PORT
        with open(os.path.join(self.dir, leftover), 'w'):
            pass
        self.assertTrue(port_file.remove(self.dir, PORT))
        self.assertEqual([], os.listdir(self.dir))
