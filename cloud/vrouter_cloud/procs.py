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

"""Processes the cloud starts, each recorded by pid, stopped by that pid.

Each service runs in a session of its own (its pid is its process group's
id), logs into ``log/<name>.log`` and is recorded in ``pids/<name>`` as
``<pid> <start time>``: the start time (``/proc/<pid>/stat`` field 22)
tells a live service from a recycled pid, so ``down`` never signals a
process the cloud did not start.  Stopping signals the whole group
(helpers such as privsep daemons and Erlang's children go with their
service), escalates to SIGKILL after a timeout (nova-compute can ignore
SIGTERM for more than 30 s), and waits until the group is gone, though
not forever: a process in uninterruptible sleep outlives SIGKILL, and
the services it holds up are listed for ``down`` to report.
"""

import os
import signal
import socket
import subprocess
import time

READY_TIMEOUT = 120.0
# How long a process group has to go after SIGKILL.
KILL_TIMEOUT = 30.0


class ServiceFailed(Exception):
    """A service did not start or did not become ready; names its log."""


class ServicesLinger(ServiceFailed):
    """Processes of stopped services outlived SIGKILL."""


def wait_port(processes, name, address, port, timeout=READY_TIMEOUT):
    """Wait until service name accepts connections at address:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive(name)
        try:
            socket.create_connection((address, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise ServiceFailed('%s: %s:%d not open after %d s' % (
        name, address, port, timeout))


def wait_line(processes, name, text, timeout=READY_TIMEOUT):
    """Wait until service name's log has a line that is text.

    Only what this start of the service wrote counts (the log is kept
    across restarts).
    """
    deadline = time.monotonic() + timeout
    offset = processes.log_offsets.get(name, 0)
    while time.monotonic() < deadline:
        processes.check_alive(name)
        try:
            with open(processes.layout.log(name), errors='replace') as f:
                f.seek(offset)
                if any(line.strip() == text for line in f):
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.2)
    raise ServiceFailed('%s: no %r after %d s (see %s)' % (
        name, text, timeout, processes.layout.log(name)))


def _start_time(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces: split after its ')'.
    fields = stat.rsplit(')', 1)[1].split()
    if fields[0] == 'Z':
        return None  # a zombie has finished
    return fields[19]


def _group_members(pgid):
    members = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != 'Z':
            members.append(int(entry))
    return members


class Processes(object):
    """The services of one run directory.

    :param layout: the cloud's Layout
    """

    def __init__(self, layout):
        self.layout = layout
        self.pid_dir = layout.path('pids')
        self.children = {}
        self.log_offsets = {}  # name -> size of its log at its start
        # name -> pids still there KILL_TIMEOUT s after SIGKILL
        self.lingering = {}

    def _record(self, name):
        return os.path.join(self.pid_dir, name)

    def start(self, name, argv, env=None, cwd=None):
        """Start argv as service name; its pid."""
        os.makedirs(self.pid_dir, exist_ok=True)
        os.makedirs(os.path.dirname(self.layout.log(name)), exist_ok=True)
        if self.running(name):
            raise ServiceFailed('%s is already running (pid %d)' % (
                name, self.pid(name)))
        full_env = dict(os.environ)
        full_env.update(env or {})
        with open(self.layout.log(name), 'ab') as log:
            self.log_offsets[name] = log.tell()
            child = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, env=full_env, cwd=cwd,
                start_new_session=True)
        self.children[name] = child
        with open(self._record(name), 'w') as f:
            f.write('%d %s\n' % (child.pid, _start_time(child.pid)))
        return child.pid

    def adopt(self, name, pid):
        """Record a daemon that forked away from us (libvirtd -d)."""
        os.makedirs(self.pid_dir, exist_ok=True)
        with open(self._record(name), 'w') as f:
            f.write('%d %s\n' % (pid, _start_time(pid)))

    def pid(self, name):
        """The recorded pid of a service that still runs, or None."""
        try:
            with open(self._record(name)) as f:
                pid, started = f.read().split()
        except (OSError, ValueError):
            return None
        pid = int(pid)
        if _start_time(pid) != started:
            return None
        return pid

    def running(self, name):
        return self.pid(name) is not None

    def names(self):
        try:
            return sorted(os.listdir(self.pid_dir))
        except FileNotFoundError:
            return []

    def check_alive(self, name):
        """Raise ServiceFailed if a service has exited."""
        if not self.running(name):
            raise ServiceFailed('%s exited (see %s)' % (
                name, self.layout.log(name)))

    def stop(self, name, timeout=40.0, group=True, kill=False):
        """Stop a service and its process group; True if it was running.

        SIGTERM, then SIGKILL after timeout; with kill, SIGKILL at once
        (a process that dies as a crash would end it).  What is still
        there KILL_TIMEOUT seconds after SIGKILL goes to self.lingering,
        and its record stays.
        """
        pid = self.pid(name)
        record = self._record(name)
        if pid is None:
            if os.path.exists(record):
                os.unlink(record)
            return False
        self._signal(pid, signal.SIGKILL if kill else signal.SIGTERM, group)
        deadline = time.monotonic() + timeout
        while self._alive(pid, group) and time.monotonic() < deadline:
            self._reap(name)
            time.sleep(0.1)
        if self._alive(pid, group):
            self._signal(pid, signal.SIGKILL, group)
            deadline = time.monotonic() + KILL_TIMEOUT
            while self._alive(pid, group) and time.monotonic() < deadline:
                self._reap(name)
                time.sleep(0.1)
        self._reap(name)
        if self._alive(pid, group):
            self.lingering[name] = (_group_members(pid) if group else [pid])
            return True
        os.unlink(record)
        return True

    def _reap(self, name):
        child = self.children.get(name)
        if child is not None:
            child.poll()

    @staticmethod
    def _signal(pid, signum, group):
        try:
            if group:
                os.killpg(pid, signum)
            else:
                os.kill(pid, signum)
        except ProcessLookupError:
            pass

    @staticmethod
    def _alive(pid, group):
        if group:
            return bool(_group_members(pid))
        return _start_time(pid) is not None
