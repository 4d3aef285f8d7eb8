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

"""The stand-in vRouter agent in a process of its own, as a fixture.

Nova's tests run under eventlet, which cannot run the stand-in's threads
in the same process; the stand-in is the same code
(vrouter_testing.agent_stand_in), started with its command line.
"""

import os
import subprocess
import sys

import fixtures

from os_vif_translate import validate
from os_vif_vrouter import agent_client


class StandInProcess(fixtures.Fixture):
    """A running stand-in agent with a temporary port directory.

    :ivar port: its TCP port on 127.0.0.1
    :ivar port_dir: its port directory
    """

    def _setUp(self):
        self.port_dir = self.useFixture(fixtures.TempDir()).join('ports')
        os.mkdir(self.port_dir)
        self._process = subprocess.Popen(
            [sys.executable, '-m', 'vrouter_testing.agent_stand_in',
             self.port_dir],
            stdout=subprocess.PIPE, text=True)
        self.addCleanup(self._stop)
        line = self._process.stdout.readline()
        if not line.startswith('listening '):
            raise RuntimeError('the stand-in agent did not start: %r' % line)
        self.port = int(line.split()[1])
        self.client = agent_client.AgentClient(port=self.port)
        self.addCleanup(self.client.close)

    def _stop(self):
        self._process.terminate()
        self._process.wait(timeout=30)
        self._process.stdout.close()

    def is_registered(self, port_id):
        """Whether the agent has the port (GET /port/<id> is not 404).

        A port id the agent could not have (not a lower-case UUID) is
        not registered.
        """
        if not validate.is_canonical_uuid(port_id):
            return False
        return self.client.get_port(port_id) is not None
