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

"""What the job reads of the audit and the agents' logs."""

import json
import os

import fixtures
import testtools

from vrouter_cloud import dpdk_node
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import node as cloud_node
from vrouter_cloud.operations import checks

PORT = '0b9a3c2e-5d4f-4e6a-8b7c-9d0e1f2a3b4c'


class AuditTest(testtools.TestCase):

    def test_exposure_is_not_drift(self):
        text = json.dumps({
            'port_files': 2, 'domain_interfaces': 2, 'repaired': [],
            'findings': [
                {'kind': 'stale-file', 'port_id': PORT, 'detail': 'x'},
                {'kind': 'agent-exposed', 'port_id': None,
                 'detail': 'the agent\'s port 9091 listens on 0.0.0.0'},
            ]})
        drift, exposed = checks.parse_audit(text)
        self.assertEqual(['stale-file'], [f['kind'] for f in drift])
        self.assertEqual(['agent-exposed'], [f['kind'] for f in exposed])

    def test_not_the_audit(self):
        self.assertRaises(ValueError, checks.parse_audit,
                          'vrouter-port-audit: cannot read ...')


class AgentLogTest(testtools.TestCase):

    LINES = [
        '2026-12-06 15:00:00,001 INFO agent registered %s\n' % PORT,
        '2026-12-06 15:00:00,002 INFO agent POST /port -> 200\n',
        '2026-12-06 15:00:01,000 INFO agent GET /port/%s -> 404\n' % PORT,
        '2026-12-06 15:00:02,000 INFO agent DELETE /port/%s -> 200\n' % PORT,
        '2026-12-06 15:00:02,500 INFO vrouter_cloud.datapath attached\n',
    ]

    def test_requests(self):
        self.assertEqual([('POST', None, 200), ('GET', PORT, 404),
                          ('DELETE', PORT, 200)],
                         checks.agent_requests(self.LINES))

    def test_registered(self):
        self.assertEqual([PORT], checks.registered_ports(self.LINES))

    def test_replay_skipped(self):
        lines = self.LINES + [
            '2026-12-06 15:00:03,000 INFO agent replay skipped %s: '
            'Interface does not exist in OS\n' % PORT]
        self.assertEqual({PORT: 'Interface does not exist in OS'},
                         checks.replay_skipped(lines))

    def test_cursor_reads_what_came_since_the_mark(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'log')
        cursor = checks.LogCursor(path)  # no log yet
        self.assertEqual([], cursor.lines())
        with open(path, 'w') as f:
            f.writelines(self.LINES[:2])
        self.assertEqual(self.LINES[:2], cursor.lines())
        cursor.mark()
        with open(path, 'a') as f:
            f.writelines(self.LINES[2:])
        self.assertEqual(self.LINES[2:], cursor.lines())


class NodeReaderTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        top = self.useFixture(fixtures.TempDir()).path
        self.layout = cloud_layout.Layout(
            top, run_dir=os.path.join(top, 'run'))
        self.useFixture(fixtures.MockPatchObject(
            cloud_node.Node, 'namespaces_pid', return_value=4242))

    def test_a_kernel_node(self):
        node = cloud_node.Node(self.layout, 1)
        reader = checks.node_reader(node)
        self.assertEqual('/proc/4242/root' + node.layout.port_dir,
                         reader.port_dir)
        self.assertEqual('kernel', reader.datapath)
        self.assertIsNone(reader.socket_dir)

    def test_a_dpdk_node_s_sockets_are_read(self):
        node = dpdk_node.DpdkNode(self.layout, 2)
        reader = checks.node_reader(node)
        self.assertEqual('dpdk', reader.datapath)
        self.assertEqual(dpdk_node.ZONE, reader.zone)
        self.assertEqual(node.layout.vhostuser_dir, reader.socket_dir)
