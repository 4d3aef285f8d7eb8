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

"""ip(8), and the network devices sysfs shows, for tests.

Tests and their datapaths make netdevs and namespaces with ip(8); the
plugin itself never runs it (it uses pyroute2 in its privsep daemon).
"""

import os
import subprocess

SYS_NET = '/sys/class/net'
_IFF_UP = 0x1


class CommandFailed(Exception):
    """A command exited non-zero; the message has its error output.

    :ivar argv: the command
    :ivar returncode: its exit status
    :ivar output: what it said (its error output, or its output if it
        said nothing there)
    """

    def __init__(self, argv, returncode, output):
        self.argv = list(argv)
        self.returncode = returncode
        self.output = output.strip()
        super().__init__('%s exited with %d: %s' % (
            ' '.join(self.argv), returncode, self.output))


def run(*argv):
    """Run a command; its output, or CommandFailed."""
    result = subprocess.run(argv, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise CommandFailed(argv, result.returncode,
                            result.stderr or result.stdout)
    return result.stdout


def ip(*args, netns=None):
    """ip ARGS, in a network namespace if one is named."""
    if netns is not None:
        args = ('-n', netns) + args
    return run('ip', *args)


def netdev_exists(name):
    """Whether a network device of that name is in this namespace."""
    return os.path.exists(os.path.join(SYS_NET, name))


def netdev_attribute(name, attribute):
    """A network device's sysfs attribute in this namespace ('mtu', ...)."""
    with open(os.path.join(SYS_NET, name, attribute)) as f:
        return f.read().strip()


def netdev_is_up(name):
    return bool(int(netdev_attribute(name, 'flags'), 16) & _IFF_UP)


def delete_netdev(name):
    """Delete a network device of this namespace, if it exists."""
    if netdev_exists(name):
        ip('link', 'delete', name)


def netdevs():
    """The network devices of this namespace, by name."""
    return sorted(os.listdir(SYS_NET))


def netdev_master(name):
    """The device (a bridge) a device is enslaved to, or None."""
    try:
        return os.path.basename(os.readlink(
            os.path.join(SYS_NET, name, 'master')))
    except OSError:
        return None
