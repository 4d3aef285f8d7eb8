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

import json
import logging
import os

import fixtures

from os_vif_vrouter import exception
from os_vif_vrouter import port_request
from os_vif_vrouter import registration
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs


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
        self.request = port_request.from_vif(self.vif, vifs.instance_info(),
                                             self.vif.vif_name)

    def path(self):
        return os.path.join(self.stand_in.port_dir, self.vif.id)

    def test_file_holds_exactly_the_request(self):
        self.assertTrue(self.registrar.register(self.request, False))
        with open(self.path()) as f:
            self.assertEqual(port_request.to_json(self.request), f.read())
        self.assertEqual(self.request, self.registrar.read(self.vif.id))

    def test_unchanged_port_file_is_not_rewritten(self):
        # A host restart re-plugs every port: only 'time' differs, and the
        # durable file already holds the rest.
        self.assertTrue(self.registrar.register(self.request, False))
        before = os.stat(self.path())
        again = dict(self.request, time='2030-01-01 00:00:00.000000')
        self.assertTrue(self.registrar.register(again, False))
        self.assertEqual(before.st_ino, os.stat(self.path()).st_ino)
        self.assertEqual(2, self.agent.version(self.vif.id))

    def test_changed_port_file_is_rewritten(self):
        self.assertTrue(self.registrar.register(self.request, False))
        changed = dict(self.request, **{'display-name': 'renamed'})
        self.assertTrue(self.registrar.register(changed, False))
        self.assertEqual(changed, self.registrar.read(self.vif.id))

    def test_agent_down_unchanged_port(self):
        self.registrar.register(self.request, True)
        before = os.stat(self.path())
        self.agent.stop()
        again = dict(self.request, time='2030-01-01 00:00:00.000000')
        self.assertFalse(self.registrar.register(again, True))
        self.assertEqual(before.st_ino, os.stat(self.path()).st_ino)

    def test_agent_required(self):
        self.agent.stop()
        self.assertRaises(exception.AgentNotRunning,
                          self.registrar.register, self.request, False)
        self.assertFalse(os.path.exists(self.path()))

    def test_agent_required_for_the_delete_first(self):
        self.registrar.register(self.request, False)
        self.agent.stop()
        changed = dict(self.request, **{'system-name': 'tapother'})
        self.assertRaises(exception.AgentNotRunning,
                          self.registrar.register, changed, False)
        # Nothing changed: the file still describes the old registration.
        self.assertEqual(self.request, self.registrar.read(self.vif.id))

    def test_agent_down_changed_port(self):
        self.registrar.register(self.request, True)
        self.agent.stop()
        changed = dict(self.request, **{'system-name': 'tapother'})
        self.assertFalse(self.registrar.register(changed, True))
        # The agent replays the new content when it starts.
        self.assertEqual(changed, self.registrar.read(self.vif.id))

    def test_write_failure_undoes_the_registration(self):
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_vrouter.port_file._after_chunk', disk_full))
        exc = self.assertRaises(exception.PortFileError,
                                self.registrar.register, self.request, True)
        self.assertIn('No space left on device', str(exc))
        self.assertEqual({}, self.agent.ports())
        self.assertEqual([], os.listdir(self.stand_in.port_dir))
        self.assertEqual(['POST', 'DELETE'],
                         [method for method, _, _ in self.agent.requests])

    def test_unreadable_file(self):
        with open(self.path(), 'w') as f:
            f.write('[1, 2]')
        self.assertIs(registration.UNREADABLE,
                      self.registrar.read(self.vif.id))

    def test_rollback_failure_is_logged_and_write_error_raised(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='os_vif_vrouter.registration', level=logging.ERROR))
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_vrouter.port_file._after_chunk', disk_full))
        original = self.registrar.client.delete_port

        def delete_fails(port_id):
            self.agent.set_fail_mode('error')
            original(port_id)

        self.registrar.client.delete_port = delete_fails
        self.assertRaises(exception.PortFileError, self.registrar.register,
                          self.request, True)
        self.assertIn('Could not delete port %s' % self.vif.id,
                      logger.output)

    def test_deregister_removes_file_when_agent_fails(self):
        self.registrar.register(self.request, True)
        self.agent.set_fail_mode('error')
        self.assertRaises(exception.AgentRequestFailed,
                          self.registrar.deregister, self.vif.id)
        self.assertFalse(os.path.exists(self.path()))

    def test_no_persist(self):
        registrar = registration.Registrar(self.registrar.client,
                                           self.stand_in.port_dir,
                                           persist=False)
        self.agent.stop()
        self.assertFalse(registrar.register(self.request, True))
        self.assertFalse(os.path.exists(self.path()))
        with open(self.path(), 'w') as f:
            json.dump(self.request, f)
        registrar.deregister(self.vif.id)
        self.assertTrue(os.path.exists(self.path()))
