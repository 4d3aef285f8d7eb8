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

"""The host: commands, network namespaces and devices, directories, waits.

Everything a test makes here is a fixture that removes it again, also when
the test fails.
"""

import os
import pwd
import shutil
import tempfile
import time
import uuid

import fixtures
from vrouter_testing import iproute

# Debian's libvirt runs QEMU as this user (qemu.conf's default).
QEMU_USER = 'libvirt-qemu'

# Bounds for waits on things a test started: they stop a hung test with a
# useful message, they assert nothing about speed.  Under TCG on two
# cores, a guest boots to userspace in about ten seconds.
WAIT_TIMEOUT = 300.0

# Where QemuDir makes directories: every user may traverse it.
QEMU_TMPDIR = '/tmp'


class WaitTimedOut(Exception):
    pass


def wait_until(predicate, what, timeout=WAIT_TIMEOUT, interval=0.1,
               detail=None):
    """Poll predicate until it returns something true, and return that.

    :param what: what is waited for, for the error message
    :param detail: a callable whose result the error message adds (say,
        the guest's console)
    :raises: WaitTimedOut, only if the wait is stuck
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            message = 'no %s after %d s' % (what, timeout)
            if detail is not None:
                message += '\n' + str(detail())
            raise WaitTimedOut(message)
        time.sleep(interval)


def ipv6_disabled(name):
    path = '/proc/sys/net/ipv6/conf/%s/disable_ipv6' % name
    with open(path) as f:
        return f.read().strip() == '1'


def unique_name(prefix, length=15):
    """A name nobody else uses, short enough for a netdev (IFNAMSIZ)."""
    return (prefix + uuid.uuid4().hex)[:length]


class NetNamespace(fixtures.Fixture):
    """A network namespace, deleted after the test."""

    def __init__(self, prefix='vrf-'):
        super().__init__()
        self.name = unique_name(prefix, 32)

    def _setUp(self):
        iproute.ip('netns', 'add', self.name)
        self.addCleanup(iproute.ip, 'netns', 'delete', self.name)

    def ip(self, *args):
        return iproute.ip(*args, netns=self.name)

    def has_netdev(self, name):
        try:
            self.ip('link', 'show', 'dev', name)
        except iproute.CommandFailed:
            return False
        return True


class Representor(fixtures.Fixture):
    """A netdev standing for an SR-IOV VF's representor, created down.

    A dummy device, as a representor is a netdev with no traffic of its
    own here; where the kernel has no dummy driver, a persistent tap
    device (the plugin only sets it up and down, which both allow).

    :ivar name: its name
    :ivar kind: 'dummy' or 'tap'
    """

    def __init__(self, prefix='vrfrep'):
        super().__init__()
        self.name = unique_name(prefix)
        self.kind = None

    def _setUp(self):
        try:
            iproute.ip('link', 'add', self.name, 'type', 'dummy')
            self.kind = 'dummy'
        except iproute.CommandFailed:
            iproute.ip('tuntap', 'add', 'dev', self.name, 'mode', 'tap')
            self.kind = 'tap'
        self.addCleanup(iproute.ip, 'link', 'delete', self.name)


class QemuDir(fixtures.Fixture):
    """A temporary directory QEMU (running as libvirt-qemu) can reach.

    :param writable: owned by libvirt-qemu, for the sockets QEMU creates
    :ivar path: the directory
    """

    def __init__(self, writable=False):
        super().__init__()
        self.writable = writable

    def _setUp(self):
        # Not in the test's TMPDIR (oslotest makes one per test, 0700).
        self.path = tempfile.mkdtemp(prefix='vrouter-functional-',
                                     dir=QEMU_TMPDIR)
        self.addCleanup(shutil.rmtree, self.path, ignore_errors=True)
        os.chmod(self.path, 0o755)
        if self.writable:
            user = pwd.getpwnam(QEMU_USER)
            os.chown(self.path, user.pw_uid, user.pw_gid)

    def join(self, *names):
        return os.path.join(self.path, *names)


def writable_by(path, user):
    """Whether user may create files in the directory path."""
    entry = pwd.getpwnam(user)
    st = os.stat(path)
    if st.st_uid == entry.pw_uid:
        return bool(st.st_mode & 0o200)
    if st.st_gid in os.getgrouplist(entry.pw_name, entry.pw_gid):
        return bool(st.st_mode & 0o020)
    return bool(st.st_mode & 0o002)
