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


class TestClientArguments(base.TestCase):

    def test_port_ids_validated_before_sending(self):
        client = agent_client.AgentClient(port=1)
        for call in (client.delete_port, client.get_port,
                     client.enable_port, client.disable_port):
            self.assertRaises(exception.InvalidPortId, call, '../port')
