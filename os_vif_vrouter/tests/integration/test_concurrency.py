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

"""32 threads plugging and unplugging distinct and identical ports at once.

Whatever the interleaving, the agent and the port files must end up
agreeing with each other and with what the operations leave: ports whose
last operation was a plug are registered, with a port file equal to the
registration; the others have neither.
"""

import json
import os
import subprocess
import sys
import threading
import time

from os_vif_vrouter import backoff
from os_vif_vrouter import registration
from os_vif_vrouter.tests import actors
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs
from os_vif_vrouter import vrouter

THREADS = 32
ROUNDS = 8


class TestConcurrentPlugs(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.flags(agent_port=self.agent.port,
                   port_dir=self.stand_in.port_dir, agent_read_timeout=30.0)
        self.plugin = vrouter.VRouterPlugin.load('vrouter')
        self.addCleanup(self.plugin.client.close)
        self.info = vifs.instance_info()

    def test_32_threads(self):
        plug, unplug = self.plugin.plug, self.plugin.unplug
        work = []  # one list of (operation, vif) per thread
        expected = {}  # port id -> system-name it must end with, or None

        # 12 threads, a port each: plug, unplug, plug -> plugged.
        for _ in range(12):
            vif = vifs.kernel()
            work.append([(plug, vif), (unplug, vif), (plug, vif)])
            expected[vif.id] = vif.vif_name
        # 8 threads, a port each: plug, unplug -> gone.
        for _ in range(8):
            vif = vifs.kernel()
            work.append([(plug, vif), (unplug, vif)])
            expected[vif.id] = None
        # 6 threads, one port, the same VIF: plug -> plugged.
        shared = vifs.kernel()
        for _ in range(6):
            work.append([(plug, shared)])
        expected[shared.id] = shared.vif_name
        # 3 threads, one port: plug, unplug -> gone (every thread ends
        # with an unplug, so the last operation on the port is one).
        toggled = vifs.kernel()
        for _ in range(3):
            work.append([(plug, toggled), (unplug, toggled)])
        expected[toggled.id] = None
        # 3 threads, one port, each with its own tap name -> plugged with
        # one of them, the same at the agent and in the file.
        contested = vifs.new_port_id()
        taps = set()
        for i in range(3):
            vif = vifs.kernel(port_id=contested, vif_name='tapc%d' % i)
            taps.add(vif.vif_name)
            work.append([(plug, vif)])
        expected[contested] = taps
        self.assertEqual(THREADS, len(work))

        start = threading.Barrier(THREADS)
        errors = []

        def run(operations):
            start.wait()
            try:
                for _ in range(ROUNDS):
                    for operation, vif in operations:
                        operation(vif, self.info)
            except Exception as exc:  # reported by the test below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(ops,))
                   for ops in work]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([], errors)

        remaining = {port_id for port_id, tap in expected.items() if tap}
        registered = self.agent.ports()
        self.assertEqual(remaining, set(registered))
        self.assertEqual(remaining, set(os.listdir(self.stand_in.port_dir)))
        for port_id in remaining:
            with open(os.path.join(self.stand_in.port_dir, port_id)) as f:
                written = json.load(f)
            # A re-plug rewrites the file; the agent keeps the port it has
            # and only bumps its version: 'time' may differ, nothing else.
            del written['time'], registered[port_id]['time']
            self.assertEqual(registered[port_id], written)
            tap = expected[port_id]
            if isinstance(tap, set):
                self.assertIn(registered[port_id]['system-name'], tap)
            else:
                self.assertEqual(tap, registered[port_id]['system-name'])


class TestAcrossProcesses(base.TestCase):
    """The plugin, vrouter-port-control and vrouter-port-audit --repair,
    each in its own process, on the same ports, against a slow agent.

    Each operation holds the port's lock from its first read to its last
    write, so whatever the interleaving, the agent and the port files
    agree at the end: the same ports, each file what the agent has.
    """

    PORTS = 4
    ROUNDS = 6

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.config = self.config_file(
            agent_port=self.agent.port, port_dir=self.stand_in.port_dir,
            agent_read_timeout=30)

    def start(self, actor, ports, rounds=1, seed=0, only=None):
        argv = [sys.executable, '-m', 'os_vif_vrouter.tests.actors', actor,
                '--config-file', self.config, '--ports', ','.join(ports),
                '--rounds', str(rounds), '--seed', str(seed)]
        if only:
            argv += ['--only', only]
        child = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
        self.addCleanup(child.kill)
        return child

    def finish(self, child):
        out, err = child.communicate(timeout=120)
        self.assertEqual(0, child.returncode, err)
        report = json.loads(out.decode().splitlines()[-1])
        self.assertEqual([], report['untyped'])
        return report

    def assertAgreeing(self):
        """The agent and the port files: the same ports, the same data."""
        registered = self.agent.ports()
        port_dir = self.stand_in.port_dir
        files = sorted(n for n in os.listdir(port_dir)
                       if not n.startswith('.'))
        self.assertEqual(files, sorted(registered))
        for port_id in files:
            with open(os.path.join(port_dir, port_id)) as f:
                self.assertTrue(registration.same_port(
                    json.load(f), registered[port_id]), port_id)
        self.assertEqual([], [n for n in os.listdir(port_dir)
                              if n.startswith('.')])

    def answer_posts_late(self, seconds):
        """The agent applies a port add at once, answers it late (busy)."""
        route = self.agent._route

        def late(method, path, body):
            answer = route(method, path, body)
            if method == 'POST':
                time.sleep(seconds)
            return answer

        self.agent._route = late

    def test_cli_delete_waits_for_a_plug_in_flight(self):
        port_id = vifs.new_port_id()
        self.answer_posts_late(3.0)
        plug = self.start('plug', [port_id], only=actors.ADD)
        # The agent has the port; the plug waits for its answer and has
        # not written the port file yet.
        self.assertTrue(backoff_until(lambda: port_id in self.agent.ports()))
        delete = self.start('cli', [port_id], only=actors.DELETE)
        self.assertEqual(0, self.finish(delete)['failed'])
        # The plug, then the delete, each whole: neither failed.
        self.assertEqual(0, self.finish(plug)['failed'])
        self.assertAgreeing()
        self.assertEqual({}, self.agent.ports())

    def test_plug_against_cli_against_audit(self):
        # Slow enough that the processes' operations overlap at the agent.
        self.agent.set_delay(0.01)
        ports = [vifs.new_port_id() for _ in range(self.PORTS)]
        children = [self.start(actor, ports, self.ROUNDS, seed)
                    for seed, actor in enumerate(('plug', 'cli', 'audit',
                                                  'plug'))]
        for child in children:
            self.finish(child)
        self.assertAgreeing()


def backoff_until(predicate, timeout=30.0):
    try:
        backoff.wait_for(predicate, timeout)
    except backoff.GaveUp:
        return False
    return True
