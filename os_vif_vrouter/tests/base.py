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

"""Test bases and fixtures of os_vif_vrouter.

Privileged entrypoints run in the test process (privsep client mode off),
as os-vif's own unit tests do; port directories are temporary; agents are
:class:`~vrouter_testing.agent_stand_in.AgentStandIn` instances on
ephemeral loopback ports.  Nothing here touches /var/lib/contrail.
"""

import os
import shutil
import uuid

import fixtures
from os_vif import objects
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslotest import base
from vrouter_testing import agent_stand_in
from vrouter_testing import iproute

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import agent_client
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter import opts
from os_vif_vrouter import privsep

objects.register_all()


class PrivsepInProcess(fixtures.Fixture):
    """Run the plugin's privileged entrypoints in this process."""

    def _setUp(self):
        previous = privsep.vif_plug.client_mode
        privsep.vif_plug.set_client_mode(False)
        self.addCleanup(privsep.vif_plug.set_client_mode, previous)


class StandIn(fixtures.Fixture):
    """A started stand-in agent with its own temporary port directory.

    :ivar agent: the AgentStandIn
    :ivar port_dir: its port directory
    """

    def __init__(self, start=True, **kwargs):
        super().__init__()
        self._start = start
        self._kwargs = kwargs

    def _setUp(self):
        self.port_dir = self.useFixture(fixtures.TempDir()).join('ports')
        os.mkdir(self.port_dir)
        self.agent = agent_stand_in.AgentStandIn(self.port_dir,
                                                 **self._kwargs)
        self.addCleanup(self.agent.close)
        if self._start:
            self.agent.start()

    def client(self, **kwargs):
        kwargs.setdefault('read_timeout', 5.0)
        client = agent_client.AgentClient(port=self.agent.port, **kwargs)
        self.addCleanup(client.close)
        return client


class TestCase(base.BaseTestCase):
    """Base of every os_vif_vrouter test: privsep in-process, a clean
    [os_vif_vrouter] config.
    """

    def setUp(self):
        super().setUp()
        self.useFixture(PrivsepInProcess())
        self.conf = self.useFixture(config_fixture.Config(cfg.CONF)).conf
        opts.register_opts(self.conf)
        # The ports' locks, as nova-compute's [oslo_concurrency] lock_path.
        self.lock_path = self.useFixture(fixtures.TempDir()).join('locks')
        locks.lock_path_of(self.conf)
        self.conf.set_override('lock_path', self.lock_path,
                               group='oslo_concurrency')
        # The stand-in agents run as whoever runs the tests.
        self.flags(agent_listener_uid=os.geteuid())

    def flags(self, **kwargs):
        for name, value in kwargs.items():
            self.conf.set_override(name, value, group=constants.CONFIG_GROUP)

    def config_file(self, lock_path=None, **options):
        """A nova-compute configuration file for the CLIs: the test's
        lock path and the given [os_vif_vrouter] options.
        """
        options.setdefault('agent_listener_uid', os.geteuid())
        lines = ['[oslo_concurrency]',
                 'lock_path = %s' % (lock_path or self.lock_path),
                 '[%s]' % constants.CONFIG_GROUP]
        lines += ['%s = %s' % item for item in sorted(options.items())]
        path = self.useFixture(fixtures.TempDir()).join('nova.conf')
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        return path


def new_uuid():
    return str(uuid.uuid4())


def can_make_netdevs():
    """Whether tests may create throw-away netdevs (root and ip(8))."""
    return os.geteuid() == 0 and shutil.which('ip') is not None


class NetDev(object):
    """A throw-away netdev for a test run as root (see netdev_or_skip)."""

    def __init__(self, name):
        self.name = name

    def is_up(self):
        return iproute.netdev_is_up(self.name)


def _delete_netdev(name):
    try:
        iproute.ip('link', 'del', name)
    except iproute.CommandFailed:
        pass  # gone already (a test may delete it)


def netdev_or_skip(test):
    """A new netdev for test, deleted after it, or skip test saying why.

    A dummy if the kernel has them, else one end of a veth pair.  Tests
    may run ip(8); the plugin never does.
    """
    if not can_make_netdevs():
        test.skipTest('creating a netdev needs root and ip(8)')
    name = 'vrt%s' % uuid.uuid4().hex[:11]
    errors = []
    for args in (['type', 'dummy'],
                 ['type', 'veth', 'peer', 'name', name + 'p']):
        try:
            iproute.ip('link', 'add', name, *args)
        except iproute.CommandFailed as exc:
            errors.append('%s: %s' % (args[1], exc.output))
            continue
        test.addCleanup(_delete_netdev, name)
        return NetDev(name)
    test.skipTest('cannot create a dummy or veth netdev (%s)'
                  % '; '.join(errors))


class FakeLinks(fixtures.Fixture):
    """Replace the two netdev entrypoints with a strict in-memory model.

    For tests that cannot create netdevs (not root): the devices are the
    names given, each down; an unknown name is NetworkDeviceNotFound, as
    the real entrypoints raise.

    :ivar up: {device name: is it up}
    :ivar ipv6_disabled: devices disable_ipv6 was called for
    """

    def __init__(self, *devices):
        super().__init__()
        self.up = {name: False for name in devices}
        self.ipv6_disabled = set()

    def _setUp(self):
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_vrouter.privileged.disable_ipv6', self.disable_ipv6))
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_vrouter.privileged.set_link_state', self.set_link_state))

    def _check(self, device):
        if not osvt_validate.is_device_name(device):
            raise ValueError(device)
        if device not in self.up:
            raise exception.NetworkDeviceNotFound(device=device)

    def disable_ipv6(self, device):
        self._check(device)
        self.ipv6_disabled.add(device)
        return True

    def set_link_state(self, device, state):
        self._check(device)
        if state not in ('up', 'down'):
            raise ValueError(state)
        wanted = state == 'up'
        changed = self.up[device] != wanted
        self.up[device] = wanted
        return changed
