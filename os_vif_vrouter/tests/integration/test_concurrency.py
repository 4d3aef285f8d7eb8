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
import threading

from os_vif_vrouter import registration
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
        # No lock is left behind.
        self.assertEqual(0, len(registration._PORT_LOCKS))
