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

from unittest import mock

from os_vif_vrouter import agent_client
from os_vif_vrouter import exception
from os_vif_vrouter.tests import base


class TestAgentMessage(base.TestCase):

    def test_agent_error_bodies(self):
        cases = [
            (b'{"error":"{ Invalid VN uuid }"}', 'Invalid VN uuid'),
            (b'{"error": "{Port Not found x}"}', 'Port Not found x'),
            (b'{"error":"Unknown Request"}', 'Unknown Request'),
            (b'{"error":"{ Invalid Json string ==> {\\"a\\": }"}',
             'Invalid Json string ==> {"a":'),
            (b'<html>gateway error</html>', '<html>gateway error</html>'),
            (b'{"error": 5}', '{"error": 5}'),
            (b'[]', '[]'),
            (b'', '(no message)'),
            (b'\xff', '\ufffd'),
        ]
        for body, message in cases:
            self.assertEqual(message, agent_client._agent_message(body),
                             body)


class FakeClock(object):
    """A clock that moves only when the code under test sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class TestAgentDownMemory(base.TestCase):
    """After a bounded wait for the agent gave up, the next waits within
    the memory fail at once; the memory ends when the agent answers or
    when it runs out.
    """

    def setUp(self):
        super().setUp()
        self.clock = FakeClock()
        self.attempts = 0
        self.answering = False
        self.client = agent_client.AgentClient(port=1, down_memory=60.0)
        self.useFixture(base.fixtures.MockPatchObject(
            self.client, '_new_connection', self.connect))

    def connect(self, request):
        self.attempts += 1
        if not self.answering:
            raise exception.AgentNotRunning(address='127.0.0.1:1',
                                            request=request)
        return mock.Mock()

    def wait(self, timeout=120.0):
        self.client.wait_until_listening(timeout, clock=self.clock,
                                         sleep=self.clock.sleep)

    def test_fail_fast_until_the_agent_answers(self):
        self.assertRaises(exception.AgentNotReady, self.wait)
        self.assertAlmostEqual(120.0, sum(self.clock.sleeps))
        first = self.attempts
        for _ in range(100):
            exc = self.assertRaises(exception.AgentRecentlyDown, self.wait)
        # One attempt each, no sleep: a nova-compute start re-plugging 100
        # DPDK ports waits once, not 100 times.
        self.assertEqual(first + 100, self.attempts)
        self.assertAlmostEqual(120.0, sum(self.clock.sleeps))
        self.assertIn('127.0.0.1:1', str(exc))
        self.answering = True
        self.wait()
        self.answering = False
        # It answered: the next wait is a whole one again.
        self.assertRaises(exception.AgentNotReady, self.wait)
        self.assertAlmostEqual(240.0, sum(self.clock.sleeps))

    def test_memory_runs_out(self):
        self.assertRaises(exception.AgentNotReady, self.wait)
        self.clock.now += 61
        self.assertRaises(exception.AgentNotReady, self.wait)
        self.assertAlmostEqual(240.0, sum(self.clock.sleeps))

    def test_no_memory(self):
        self.client.down_memory = 0
        self.assertRaises(exception.AgentNotReady, self.wait)
        self.assertRaises(exception.AgentNotReady, self.wait)
        self.assertAlmostEqual(240.0, sum(self.clock.sleeps))
