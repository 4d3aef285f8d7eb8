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

"""The Registrar's ordering rules, against the stand-in agent."""

import dataclasses
import errno
import json
import logging
import os

import fixtures
from oslo_privsep import daemon as privsep_daemon
from vrouter_testing import agent_stand_in

from os_vif_vrouter import exception
from os_vif_vrouter import port_request
from os_vif_vrouter import ports
from os_vif_vrouter import registration
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs
from os_vif_vrouter.tests import watched_os


def disk_full(written):
    raise OSError(28, 'No space left on device')


class TestRegistrar(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.registrar = registration.Registrar(self.stand_in.client(),
                                                self.stand_in.port_dir)
        self.vif = vifs.kernel()
        self.port = ports.from_vif(self.vif, vifs.instance_info())

    def path(self):
        return os.path.join(self.stand_in.port_dir, self.vif.id)

    def stored(self):
        """The port file's object, without its time of writing."""
        data = self.registrar.read(self.vif.id)
        del data['time']
        return data

    @staticmethod
    def body(port):
        data = port_request.body(port)
        del data['time']
        return data

    def test_file_holds_exactly_the_request(self):
        self.assertTrue(self.registrar.register(
            self.port, False).agent_accepted)
        with open(self.path()) as f:
            text = f.read()
        self.assertEqual(port_request.to_json(port_request.parse(text)),
                         text)
        self.assertEqual(self.body(self.port), self.stored())

    def test_unchanged_port_file_is_not_rewritten(self):
        # A host restart re-plugs every port: only 'time' differs, and the
        # durable file already holds the rest.
        self.registrar.register(self.port, False)
        before = os.stat(self.path())
        self.assertTrue(self.registrar.register(
            self.port, False).agent_accepted)
        self.assertEqual(before.st_ino, os.stat(self.path()).st_ino)
        self.assertEqual(2, self.agent.version(self.vif.id))

    def test_changed_port_file_is_rewritten(self):
        self.registrar.register(self.port, False)
        changed = dataclasses.replace(self.port, display_name='renamed')
        self.assertTrue(self.registrar.register(
            changed, False).agent_accepted)
        self.assertEqual(self.body(changed), self.stored())

    def test_agent_down_unchanged_port(self):
        self.registrar.register(self.port, True)
        before = os.stat(self.path())
        self.agent.stop()
        self.assertFalse(self.registrar.register(
            self.port, True).agent_accepted)
        self.assertEqual(before.st_ino, os.stat(self.path()).st_ino)

    def test_agent_required(self):
        self.agent.stop()
        self.assertRaises(exception.AgentNotRunning,
                          self.registrar.register, self.port, False)
        self.assertFalse(os.path.exists(self.path()))

    def test_agent_required_for_the_delete_first(self):
        self.registrar.register(self.port, False)
        self.agent.stop()
        self.assertRaises(exception.AgentNotRunning,
                          self.registrar.register, self.changed(), False)
        # Nothing changed: the file still describes the old registration.
        self.assertEqual(self.body(self.port), self.stored())

    def test_agent_down_changed_port(self):
        self.registrar.register(self.port, True)
        self.agent.stop()
        self.assertFalse(self.registrar.register(
            self.changed(), True).agent_accepted)
        # The agent replays the new content when it starts.
        self.assertEqual(self.body(self.changed()), self.stored())

    def test_write_failure_changes_nothing_at_the_agent(self):
        self.useFixture(watched_os.watch_port_file_writes(disk_full))
        exc = self.assertRaises(exception.PortFileError,
                                self.registrar.register, self.port, True)
        self.assertIn('No space left on device', str(exc))
        self.assertEqual({}, self.agent.ports())
        self.assertEqual([], os.listdir(self.stand_in.port_dir))
        self.assertEqual([], self.agent.requests)

    def assertKeptAsItWas(self, before):
        """The agent still has the port as the old file says it."""
        self.assertEqual(self.body(before), self.stored())
        self.assertEqual(before.device,
                         self.agent.ports()[self.vif.id]['system-name'])
        self.assertEqual([self.vif.id], os.listdir(self.stand_in.port_dir))

    def changed(self):
        return self.port.on_device('tapother')

    def test_changed_replug_on_a_full_disk_keeps_the_port(self):
        self.registrar.register(self.port, True)
        self.useFixture(watched_os.watch_port_file_writes(disk_full))
        exc = self.assertRaises(exception.PortFileError,
                                self.registrar.register, self.changed(), True)
        self.assertIn(self.vif.id, str(exc))
        self.assertKeptAsItWas(self.port)
        self.assertEqual(1, self.agent.version(self.vif.id))

    def test_changed_replug_in_a_read_only_directory_keeps_the_port(self):
        self.registrar.register(self.port, True)
        real_open = os.open

        def read_only(path, flags, *args):
            if flags & os.O_CREAT:
                raise OSError(errno.EROFS, 'Read-only file system')
            return real_open(path, flags, *args)

        self.useFixture(fixtures.MonkeyPatch('os.open', read_only))
        exc = self.assertRaises(exception.PortFileError,
                                self.registrar.register, self.changed(), True)
        self.assertIn('Read-only file system', str(exc))
        self.useFixture(fixtures.MonkeyPatch('os.open', real_open))
        self.assertKeptAsItWas(self.port)

    def test_changed_replug_with_a_failed_privileged_helper(self):
        self.registrar.register(self.port, True)

        def helper_died(*args):
            raise privsep_daemon.ProtocolError('Unexpected EOF')

        for name in ('write_port_file', 'stage_port_file'):
            self.useFixture(fixtures.MonkeyPatch(
                'os_vif_vrouter.privileged.' + name, helper_died))
        exc = self.assertRaises(exception.PortFileError,
                                self.registrar.register, self.changed(), True)
        self.assertIn('privileged helper failed', str(exc))
        self.assertKeptAsItWas(self.port)

    def test_changed_replug_whose_rename_fails_registers_the_old_again(self):
        self.registrar.register(self.port, True)
        real_rename = os.rename

        def rename_fails(src, dst):
            raise OSError(errno.EIO, 'Input/output error')

        self.useFixture(fixtures.MonkeyPatch('os.rename', rename_fails))
        self.assertRaises(exception.PortFileError, self.registrar.register,
                          self.changed(), True)
        self.useFixture(fixtures.MonkeyPatch('os.rename', real_rename))
        self.assertKeptAsItWas(self.port)

    def test_changed_replug_refused_registers_the_old_again(self):
        self.registrar.register(self.port, True)
        route = self.agent._route

        def refuse_the_new(agent, method, path, body):
            if method == 'POST' and b'tapother' in body:
                return 500, agent_stand_in._error('Invalid VN uuid')
            return route(method, path, body)

        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.agent_stand_in.AgentStandIn._route',
            refuse_the_new))
        self.assertRaises(exception.AgentRequestFailed,
                          self.registrar.register, self.changed(), True)
        self.assertKeptAsItWas(self.port)

    def test_undo_puts_back_exactly_what_the_call_did(self):
        # A new port: gone again.
        self.registrar.undo(self.registrar.register(self.port, True))
        self.assertEqual({}, self.agent.ports())
        self.assertEqual([], os.listdir(self.stand_in.port_dir))
        # A re-plug of a port the agent has: it keeps it.
        self.registrar.register(self.port, True)
        self.registrar.undo(self.registrar.register(self.port, True))
        self.assertKeptAsItWas(self.port)
        # A changed re-plug: the old port again.
        self.registrar.undo(self.registrar.register(self.changed(), True))
        self.assertKeptAsItWas(self.port)

    def test_next_write_removes_the_ports_leftovers(self):
        other = vifs.new_port_id()
        leftovers = ['.%s.%s.tmp' % (self.vif.id, '0a1b2c3d4e5f'),
                     '.%s.%s.tmp' % (other, '0a1b2c3d4e5f')]
        for name in leftovers:
            with open(os.path.join(self.stand_in.port_dir, name), 'w') as f:
                f.write('{"id": "')  # a killed writer's
        self.registrar.register(self.port, True)
        self.assertEqual(sorted([self.vif.id, leftovers[1]]),
                         sorted(os.listdir(self.stand_in.port_dir)))

    def test_unreadable_file(self):
        with open(self.path(), 'w') as f:
            f.write('[1, 2]')
        self.assertIs(port_request.UNREADABLE,
                      self.registrar.read(self.vif.id))

    def test_rollback_failure_is_logged_and_write_error_raised(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='os_vif_vrouter.registration', level=logging.ERROR))

        def rename_fails(src, dst):
            raise OSError(errno.EIO, 'Input/output error')

        self.useFixture(fixtures.MonkeyPatch('os.rename', rename_fails))
        original = self.registrar.client.delete_port

        def delete_fails(port_id):
            self.agent.set_fail_mode('error')
            original(port_id)

        self.registrar.client.delete_port = delete_fails
        self.assertRaises(exception.PortFileError, self.registrar.register,
                          self.port, True)
        self.assertIn('Could not delete port %s' % self.vif.id,
                      logger.output)

    def test_deregister_removes_file_when_agent_fails(self):
        self.registrar.register(self.port, True)
        self.agent.set_fail_mode('error')
        self.assertRaises(exception.AgentRequestFailed,
                          self.registrar.deregister, self.vif.id)
        self.assertFalse(os.path.exists(self.path()))

    def test_no_persist(self):
        registrar = registration.Registrar(self.registrar.client,
                                           self.stand_in.port_dir,
                                           persist=False)
        self.agent.stop()
        self.assertFalse(registrar.register(self.port, True).agent_accepted)
        self.assertFalse(os.path.exists(self.path()))
        with open(self.path(), 'w') as f:
            json.dump(port_request.body(self.port), f)
        registrar.deregister(self.vif.id)
        self.assertTrue(os.path.exists(self.path()))
