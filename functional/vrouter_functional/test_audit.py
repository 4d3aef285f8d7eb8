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

"""vrouter-port-audit against real libvirt domains and a stand-in agent.

Other tests may define domains on qemu:///system at the same time: the
checks look only at this test's instances and ports.
"""

import io
import json
from unittest import mock

from os_vif_vrouter import audit
from os_vif_vrouter.cmd import port_audit
from vrouter_testing import iproute

from vrouter_functional import base
from vrouter_functional import nova_guest


class AuditTest(base.FunctionalTestCase):

    def _audit(self, node, *options):
        out = io.StringIO()
        with mock.patch('sys.stdout', out):
            code = port_audit.main([
                '--libvirt_uri', 'qemu:///system',
                '--port_json_path', node.port_dir,
                '--agent_port', str(node.agent.port), '--json',
                '--config-file', node.config_file()] + list(options))
        report = json.loads(out.getvalue())

        def ours(findings):
            return sorted(
                (f['kind'], f['port_id'] or f['interface']['domain_uuid'])
                for f in findings
                if f['port_id'] in self.port_ids or
                (f.get('interface') or {}).get('domain_uuid') in self.uuids)

        return code, ours(report['findings']), ours(report['repaired'])

    def test_drift_and_repair(self):
        node = self.compute_host()
        # Plugged (Nova's driver made its tap), with its domain defined,
        # not started.
        running = nova_guest.Instance('audited guest')
        port = nova_guest.Port(nova_guest.KERNEL)
        node.plug(running, port)
        self.define(running, [port])
        # A domain whose port was never plugged on this host.
        unplugged = nova_guest.Instance('never plugged')
        self.define(unplugged, [nova_guest.Port(nova_guest.KERNEL)])
        # A port whose instance is gone from this host.
        gone = nova_guest.Instance('deleted guest')
        stale = nova_guest.Port(nova_guest.KERNEL)
        node.plug(gone, stale)
        # The host reboots: the taps are gone, the port files stay, and the
        # agent's replay skips both files, so it has neither port.
        iproute.delete_netdev(port.devname)
        iproute.delete_netdev(stale.devname)
        node.agent.restart()
        self.assertEqual({}, node.agent.ports())
        self.port_ids = {port.id, stale.id}
        self.uuids = {running.instance.uuid, unplugged.instance.uuid}

        # The domain does not run: no agent-would-skip (Nova plugs the
        # port again, and makes its tap, when it starts the domain).
        code, findings, repaired = self._audit(node)
        self.assertEqual(port_audit.EXIT_DRIFT, code)
        self.assertEqual(sorted([
            (audit.STALE_FILE, stale.id),
            (audit.MISSING_REGISTRATION, port.id),
            (audit.MISSING_FILE, unplugged.instance.uuid),
        ]), findings)
        self.assertEqual([], repaired)

        # Just plugged: only with no grace period.
        code, findings, repaired = self._audit(node, '--repair',
                                               '--grace_period', '0')
        self.assertEqual(port_audit.EXIT_DRIFT, code)
        self.assertEqual(sorted([(audit.STALE_FILE, stale.id),
                                 (audit.MISSING_REGISTRATION, port.id)]),
                         repaired)
        self.assertEqual([(audit.MISSING_FILE, unplugged.instance.uuid)],
                         findings)
        self.assertEqual([port.id], list(node.agent.ports()))
        self.assertEqual([port.id], node.port_dir_names())
        self.assertEqual(node.port_file(port), node.registration(port))

        node.unplug(running, port)
        self.assertUnregistered(node, port)
