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
import shutil
import tempfile
import threading

from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'
OTHER = '6ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'


class TestPortLock(base.TestCase):

    def test_same_port_excludes_other_threads(self):
        inside = threading.Event()
        release = threading.Event()
        order = []

        def holder():
            with locks.port_lock(PORT, self.lock_path):
                inside.set()
                release.wait()
                order.append('holder')

        def waiter():
            inside.wait()
            with locks.port_lock(PORT, self.lock_path):
                order.append('waiter')

        threads = [threading.Thread(target=holder),
                   threading.Thread(target=waiter)]
        for t in threads:
            t.start()
        inside.wait()
        # Another port is free while PORT is held.
        with locks.port_lock(OTHER, self.lock_path):
            order.append('other')
        release.set()
        for t in threads:
            t.join()
        self.assertEqual(['other', 'holder', 'waiter'], order)
        # oslo.concurrency's lock files, one per port.
        self.assertEqual(sorted(['vrouter-port-' + PORT,
                                 'vrouter-port-' + OTHER]),
                         sorted(os.listdir(self.lock_path)))

    def test_no_lock_path(self):
        for lock_path in (None, ''):
            exc = self.assertRaises(exception.LockPathNotSet,
                                    locks.port_lock, PORT, lock_path)
            self.assertIn(PORT, str(exc))
            self.assertIn('[oslo_concurrency] lock_path', str(exc))

    def test_lock_path_that_cannot_be_used(self):
        not_a_dir = os.path.join(self.useFixture(
            base.fixtures.TempDir()).path, 'file')
        with open(not_a_dir, 'w'):
            pass
        lock = locks.port_lock(PORT, not_a_dir)
        exc = self.assertRaises(exception.PortLockError, lock.__enter__)
        self.assertIn(PORT, str(exc))

    def test_root_leaves_lock_files_nova_compute_can_open(self):
        # The CLIs run as root; nova-compute as the owner of lock_path.
        if os.geteuid() != 0:
            self.skipTest('needs root (the CLIs run as root)')
        nobody = 65534
        # Where nobody can reach it (the test's TMPDIR is root's, 0700).
        top = tempfile.mkdtemp(prefix='vrouter-lock-test-', dir='/tmp')
        self.addCleanup(shutil.rmtree, top)
        os.chmod(top, 0o755)
        lock_path = os.path.join(top, 'locks')
        os.mkdir(lock_path)
        os.chown(lock_path, nobody, nobody)
        with locks.port_lock(PORT, lock_path):
            pass
        path = os.path.join(lock_path, locks.lock_name(PORT))
        self.assertEqual(nobody, os.stat(path).st_uid)
        pid = os.fork()
        if pid == 0:
            try:
                os.setgid(nobody)
                os.setuid(nobody)
                with locks.port_lock(PORT, lock_path):
                    os._exit(0)
            finally:
                os._exit(1)
        self.assertEqual(0, os.waitpid(pid, 0)[1])

    def test_no_symlink_followed_as_root(self):
        if os.geteuid() != 0:
            self.skipTest('needs root')
        os.mkdir(self.lock_path)
        os.chown(self.lock_path, 65534, 65534)
        target = os.path.join(os.path.dirname(self.lock_path), 'target')
        os.symlink(target, os.path.join(self.lock_path,
                                        locks.lock_name(PORT)))
        self.assertRaises(exception.PortLockError, locks.port_lock, PORT,
                          self.lock_path)
        self.assertFalse(os.path.exists(target))
