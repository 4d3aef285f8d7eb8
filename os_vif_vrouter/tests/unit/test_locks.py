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

import threading

from os_vif_vrouter import locks
from os_vif_vrouter.tests import base


class TestKeyedLocks(base.TestCase):

    def test_reentrant_and_dropped_when_unused(self):
        table = locks.KeyedLocks()
        with table.lock('a'):
            with table.lock('a'):
                self.assertEqual(1, len(table))
            with table.lock('b'):
                self.assertEqual(2, len(table))
        self.assertEqual(0, len(table))

    def test_same_key_excludes_other_threads(self):
        table = locks.KeyedLocks()
        inside = threading.Event()
        release = threading.Event()
        order = []

        def holder():
            with table.lock('port'):
                inside.set()
                release.wait()
                order.append('holder')

        def waiter():
            inside.wait()
            with table.lock('port'):
                order.append('waiter')

        threads = [threading.Thread(target=holder),
                   threading.Thread(target=waiter)]
        for t in threads:
            t.start()
        inside.wait()
        # Another key is free while 'port' is held.
        with table.lock('other'):
            order.append('other')
        release.set()
        for t in threads:
            t.join()
        self.assertEqual(['other', 'holder', 'waiter'], order)
        self.assertEqual(0, len(table))
