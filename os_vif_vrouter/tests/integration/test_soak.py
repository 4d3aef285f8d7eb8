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

"""A short fault-injection soak, with a fixed seed (see tests/soak.py).

benchmarks/soak_bench.py runs the long one and prints its table.
"""

import logging

import fixtures

from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import soak


class TestSoak(base.TestCase):

    def test_short_soak(self):
        # Warnings by the dozen (agent down, ...) are the point here.
        self.useFixture(fixtures.FakeLogger(level=logging.ERROR))
        representors = [base.netdev_or_skip(self).name
                        for _ in range(4)] if base.can_make_netdevs() else []
        work_dir = self.useFixture(fixtures.TempDir()).path
        report = soak.Soak(work_dir, ports=40, operations=300, seed=20261123,
                           representors=representors).run()
        self.assertEqual([], report.violations)
        self.assertEqual((0, 0, 0), (report.lost_registrations,
                                     report.stale_files, report.untyped))
        # The faults were really injected, and operations really failed.
        for fault in soak.FAULTS + (soak.KILL,):
            self.assertGreater(report.faults[fault], 0, fault)
        self.assertGreater(report.failures, 0)
        # The CLI and the audit worked beside the plugin, in their own
        # processes.
        self.assertEqual({'vrouter-port-control', 'vrouter-port-audit'},
                         set(report.actors))
        for name, actor in report.actors.items():
            self.assertGreater(actor['operations'], 0, name)
