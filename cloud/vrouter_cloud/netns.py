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

"""Network namespaces: made, removed, listed, entered.

Links, addresses and routes are ``ip``'s, through
``vrouter_testing.iproute`` as in the other suites: a caller inside a
network namespace (the gateway, a node's agent) runs there already and
calls ``iproute.ip()`` as on the host; the host reaches into a namespace
with ``iproute.ip(..., netns=NAME)``.
"""

import os

from vrouter_testing import iproute

NETNS_DIR = '/run/netns'


def exists(name):
    return os.path.exists(os.path.join(NETNS_DIR, name))


def add(name):
    """A network namespace with its loopback up (nothing if it exists)."""
    if not exists(name):
        iproute.ip('netns', 'add', name)
    iproute.ip('link', 'set', 'lo', 'up', netns=name)


def delete(name):
    """Delete a network namespace; True if there was one."""
    if not exists(name):
        return False
    iproute.ip('netns', 'del', name)
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
    iproute.run(*argv)


def enter(pid):
    """The argv prefix that runs a command in the namespaces of pid.

    Network, mount and UTS: a node's processes share all three with the
    process that holds them (Node).
    """
    return ['nsenter', '--target', str(pid), '--net', '--mount', '--uts',
            '--']
