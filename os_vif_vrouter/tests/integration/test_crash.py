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

"""A port file writer SIGKILLed mid-write leaves the old or the new file.

The writer is a child process running the plugin's own privileged
entrypoint (in-process, as the privsep daemon would) on a big port file.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap

import fixtures
from vrouter_testing import agent_stand_in

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import port_file
from os_vif_vrouter.tests import base

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'

# The child: write `count` times (alternating two contents), printing a
# line after each complete write; with pause_after, stop for good in the
# middle of the first write instead, once that many bytes are written.
CHILD = textwrap.dedent('''
    import sys, threading
    from os_vif_vrouter import port_file, privileged, privsep
    from os_vif_vrouter.tests import watched_os
    port_dir, port_id, pause_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
    contents = [sys.stdin.readline().rstrip('\\n') for _ in range(2)]
    privsep.vif_plug.set_client_mode(False)

    def hook(written):
        if pause_after and written >= pause_after:
            print('paused', flush=True)
            threading.Event().wait()

    port_file.os = watched_os.WatchedOs(hook)
    i = 0
    while True:
        privileged.write_port_file(port_dir, port_id, contents[i % 2])
        print('written', flush=True)
        i += 1
''')


def big_port(marker):
    """A valid port JSON of about 1 MiB (a huge display name)."""
    return json.dumps({
        'id': PORT, 'instance-id': 'd3b4ebd8-8f47-4b5a-9a7b-1c2d3e4f5a6b',
        'ip-address': '10.0.0.5', 'ip6-address': '::',
        'vn-id': '7e2f4c1a-0b9d-4f7e-8c6a-5d4e3f2a1b0c',
        'display-name': marker * (900 * 1024), 'vm-project-id': '',
        'mac-address': 'fa:16:3e:12:34:56', 'system-name': 'tap5ac0a8a5-7d',
        'type': 0, 'rx-vlan-id': -1, 'tx-vlan-id': -1, 'author': 'test',
        'time': marker})


class TestKilledWriter(base.TestCase):

    def setUp(self):
        super().setUp()
        self.port_dir = self.useFixture(fixtures.TempDir()).path
        self.old, self.new = big_port('o'), big_port('n')
        self.assertLess(len(self.old), port_file.MAX_SIZE)
        port_file.write(self.port_dir, PORT, self.old.encode())

    def start_writer(self, pause_after=0):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path),
                   PYTHONWARNINGS='ignore')
        child = subprocess.Popen(
            [sys.executable, '-c', CHILD, self.port_dir, PORT,
             str(pause_after)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            text=True)
        self.addCleanup(child.stdout.close)
        self.addCleanup(child.wait)
        self.addCleanup(child.kill)
        child.stdin.write(self.new + '\n' + self.old + '\n')
        child.stdin.close()
        return child

    def kill(self, child):
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        self.assertEqual(-signal.SIGKILL, child.returncode)

    def current(self):
        return port_file.read(self.port_dir, PORT)

    def assertOnlyPortFile(self):
        """Leftovers, if any, are temporary files the agent ignores."""
        for name in os.listdir(self.port_dir):
            if name != PORT:
                self.assertFalse(osvt_validate.is_canonical_uuid(name), name)
                self.assertTrue(name.startswith('.'), name)

    def test_killed_in_the_middle_of_a_write(self):
        child = self.start_writer(pause_after=256 * 1024)
        self.assertEqual('paused', child.stdout.readline().strip())
        self.kill(child)
        self.assertEqual(self.old, self.current())
        self.assertOnlyPortFile()
        # The agent, starting now, replays the old port and ignores the
        # partial temporary file.
        with agent_stand_in.AgentStandIn(self.port_dir,
                                         check_devices=False) as agent:
            agent.start()
            self.assertEqual([PORT], agent.replayed)
            self.assertEqual([], agent.replay_skipped)

    def test_killed_at_any_moment(self):
        # Killed wherever it happens to be, after a few complete writes:
        # the file is one of the two complete contents, never a mix.
        for writes in (1, 2, 3):
            child = self.start_writer()
            for _ in range(writes):
                self.assertEqual('written', child.stdout.readline().strip())
            self.kill(child)
            self.assertIn(self.current(), (self.old, self.new))
            self.assertOnlyPortFile()
