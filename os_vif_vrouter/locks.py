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

"""One lock per key (a port id), created on demand and dropped when unused.
"""

import contextlib
import threading


class KeyedLocks(object):
    """Re-entrant locks by key.

    Plugging and unplugging the same port must not interleave (the port
    file and the agent would disagree); different ports must not wait for
    each other.  A lock exists only while some thread holds or waits for
    it, so the table does not grow with every port ever plugged.
    """

    def __init__(self):
        self._guard = threading.Lock()
        # key -> [RLock, number of threads holding or waiting]
        self._locks = {}

    @contextlib.contextmanager
    def lock(self, key):
        with self._guard:
            entry = self._locks.get(key)
            if entry is None:
                entry = self._locks[key] = [threading.RLock(), 0]
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._locks[key]

    def __len__(self):
        """Number of keys locked or waited for (for tests)."""
        with self._guard:
            return len(self._locks)
