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

"""The os module as port_file sees it, with a look at every write.

Tests put it in place of ``port_file.os`` to act in the middle of a port
file's write (fail it, as a full disk does; look at the directory; stop the
writer for good, to SIGKILL it there) without a hook in the code under test.
"""

import os

import fixtures


class WatchedOs(object):
    """os, but each os.write calls after_write(bytes written to that fd).

    :param after_write: called after each write with the number of bytes
        written so far to the same file descriptor; what it raises, the
        write raises
    """

    def __init__(self, after_write):
        self._after_write = after_write
        self._written = {}

    def __getattr__(self, name):
        return getattr(os, name)

    def write(self, fd, data):
        count = os.write(fd, data)
        self._written[fd] = self._written.get(fd, 0) + count
        self._after_write(self._written[fd])
        return count

    def close(self, fd):
        # The number may be reused by the next file opened.
        self._written.pop(fd, None)
        os.close(fd)


def watch_port_file_writes(after_write):
    """A fixture: port_file's os is a WatchedOs calling after_write."""
    return fixtures.MonkeyPatch('os_vif_vrouter.port_file.os',
                                WatchedOs(after_write))
