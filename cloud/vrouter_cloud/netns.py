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

"""Commands on network devices and namespaces: ``ip``, and what runs where.

``ip`` is the natural tool for links, addresses, routes and namespaces;
every call goes through ``ip()`` here, which raises CommandFailed with
what ``ip`` said.  A caller inside a network namespace (the gateway, a
node's agent) runs there already and calls ``ip()`` as on the host; the
host reaches into a namespace with ``ip(..., netns=NAME)``.
"""

import os
import subprocess

SYS_NET = '/sys/class/net'
NETNS_DIR = '/run/netns'


class CommandFailed(Exception):
    pass


def run(*argv, check=True):
    """Run a command; its standard output.  CommandFailed if it fails."""
    result = subprocess.run(argv, capture_output=True, text=True,
                            check=False)
    if check and result.returncode != 0:
        raise CommandFailed('%s: %s' % (' '.join(argv),
                                        result.stderr.strip()))
    return result.stdout


def ip(*args, netns=None):
    if netns:
        return run('ip', '-n', netns, *args)
    return run('ip', *args)


def exists(name):
    return os.path.exists(os.path.join(NETNS_DIR, name))


def add(name):
    """A network namespace with its loopback up (nothing if it exists)."""
    if not exists(name):
        ip('netns', 'add', name)
    ip('link', 'set', 'lo', 'up', netns=name)


def delete(name):
    """Delete a network namespace; True if there was one."""
    if not exists(name):
        return False
    ip('netns', 'del', name)
    return True


def names(prefix):
    """The network namespaces whose names start with prefix."""
    try:
        return sorted(n for n in os.listdir(NETNS_DIR) if n.startswith(prefix))
    except FileNotFoundError:
        return []


def sysctl(name, value, netns=None):
    argv = ['sysctl', '-q', '-w', '%s=%s' % (name, value)]
    if netns:
        argv = ['ip', 'netns', 'exec', netns] + argv
    run(*argv)


def netdev_exists(name):
    """In the caller's own network namespace."""
    return os.path.exists(os.path.join(SYS_NET, name))


def netdevs():
    return sorted(os.listdir(SYS_NET))


def netdev_master(name):
    """The bridge a device is enslaved to, or None."""
    try:
        return os.path.basename(os.readlink(
            os.path.join(SYS_NET, name, 'master')))
    except OSError:
        return None


def enter(pid):
    """The argv prefix that runs a command in the namespaces of pid.

    Network, mount and UTS: a node's processes share all three with the
    process that holds them (Node).
    """
    return ['nsenter', '--target', str(pid), '--net', '--mount', '--uts',
            '--']
