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

"""Scenario 5: the port-file directory on a small file system that fills
up while servers boot.

The node's port directory becomes a tmpfs of SIZE (its files copied in),
mounted in the node's mount namespace only (as a small partition of the
host would be), and a filler file takes all but ROOM of it; three
servers boot on the node at once.  The plugin stages each new port file
(written and synced) before it touches the agent: a boot whose file does
not fit fails at once with a fault naming the cause ("No space left on
device"), nothing registered, nothing half-written; the agent itself
writes a port's file only if there is none (a full disk leaves it
empty), and the plugin's staged file then replaces it.  The running
servers keep their ports and their network.  Then the filler goes, three
more servers boot, and the audit is clean.  At the end the files go back
to the node's disk and the tmpfs away.
"""

import os
import time

SIZE = '256k'
# What the filler leaves free: one page, room for one staged file.
ROOM = 4096
BOOTS = 3
SETTLE_TIMEOUT = 600
REACH_TIMEOUT = 300
FILLER = '.filler'
# A fault that names a full disk: the plugin's (its staged file), or the
# agent's own write refused.
_CAUSES = ('No space left on device',
           'Writing of Json string to file failed')

_MOUNT = '''set -e
dir=$1
stage=$(mktemp -d /tmp/vrcloud-ports.XXXXXX)
mount -t tmpfs -o size=%s,mode=0755 vrcloud-ports "$stage"
cp -a "$dir/." "$stage/"
mount --move "$stage" "$dir"
rmdir "$stage"
''' % SIZE
_UNMOUNT = '''set -e
dir=$1
keep=$(mktemp -d /tmp/vrcloud-ports.XXXXXX)
cp -a "$dir/." "$keep/"
umount "$dir"
find "$dir" -mindepth 1 -delete
cp -a "$keep/." "$dir/"
rm -rf "$keep"
'''


def _full_disk(server_id, fault):
    return any(cause in fault for cause in _CAUSES)


def _sh(node, script, *args):
    """A shell script on the node (its mount namespace).

    :raises: subprocess.CalledProcessError, subprocess.TimeoutExpired
    """
    node.run(['sh', '-c', script, 'sh'] + list(args), check=True,
             capture_output=True, text=True, timeout=60)


def _fill(path, room):
    """Fill the file system of path but room bytes; the filler's size."""
    stat = os.statvfs(path)
    size = max(0, stat.f_bavail * stat.f_frsize - room)
    with open(os.path.join(path, FILLER), 'wb') as f:
        f.write(b'\0' * size)
    return size


def _leftovers(reader):
    """Temporary files and empty port files of the node."""
    found = []
    for name in sorted(os.listdir(reader.port_dir)):
        path = os.path.join(reader.port_dir, name)
        if name == FILLER:
            continue
        if name.startswith('.'):
            found.append('temporary file %s' % name)
        elif os.path.getsize(path) == 0:
            found.append('empty port file %s' % name)
    return found


def full_disk(h, result):
    node = h.node(1)
    start = time.monotonic()
    _sh(node, _MOUNT, node.layout.port_dir)
    reader = h.reader(node)
    filler = os.path.join(reader.port_dir, FILLER)
    try:
        size = _fill(reader.port_dir, ROOM)
        booted = [h.boot('ops-5-full-%d' % i, node.name)
                  for i in range(BOOTS)]
        settled = h.servers.wait([b.id for b in booted], SETTLE_TIMEOUT)
        active = [b for b in booted if settled[b.id].status == 'ACTIVE']
        failed = [b for b in booted if b not in active]
        faults = set(h.servers.fault(b.id) for b in failed)
        result.notes.append(
            '%s: port files on a tmpfs of %s, %d KiB of filler: of %d '
            'boots, %d ACTIVE, %d ERROR (faults: %s)' % (
                node.name, SIZE, size // 1024, BOOTS, len(active),
                len(failed), ' | '.join(sorted(faults)) or 'none'))
        if not failed:
            result.failures.append('the disk never filled up')
        left = _leftovers(reader)
        if left:
            result.failures.append('half-written on the full disk: %s' %
                                   ', '.join(left))
        h.ping(active)
        unreachable = h.unreachable(active, start, REACH_TIMEOUT)
        if unreachable:
            result.failures.append('booted on the full disk, not answering '
                                   'pings: %s' % ', '.join(unreachable))
        h.check(result, start, time.monotonic(), expected_error=_full_disk)

        # Space again.
        again = time.monotonic()
        os.unlink(filler)
        more = [h.boot('ops-5-free-%d' % i, node.name)
                for i in range(BOOTS)]
        settled = h.servers.wait([b.id for b in more], SETTLE_TIMEOUT)
        fine = [b for b in more if settled[b.id].status == 'ACTIVE']
        if len(fine) != len(more):
            result.failures.append('%d boots failed after space was freed'
                                   % (len(more) - len(fine)))
        h.ping(fine)
        unreachable = h.unreachable(fine, again, REACH_TIMEOUT)
        if unreachable:
            result.failures.append('booted after space was freed, not '
                                   'answering pings: %s' %
                                   ', '.join(unreachable))
        result.notes.append('space freed: %d of %d boots ACTIVE, %d '
                            'answering pings' % (
                                len(fine), len(more),
                                len(fine) - len(unreachable)))
        h.check(result, again, time.monotonic(),
                expected_error=_full_disk)
        # Their unplugs write on the tmpfs too; then the files go back.
        h.remove_booted()
    finally:
        if os.path.exists(filler):
            os.unlink(filler)
        _sh(node, _UNMOUNT, node.layout.port_dir)
