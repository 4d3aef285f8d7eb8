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

"""The host audit and its command line, against the stand-in agent.

Domains are given as libvirt XML; the functional suite runs the same audit
against real libvirt domains.
"""

import io
import json
import os
import socket
import time
from unittest import mock

import fixtures

from os_vif_vrouter import audit
from os_vif_vrouter.cmd import port_audit
from os_vif_vrouter import port_file
from os_vif_vrouter import port_request
from os_vif_vrouter import ports
from os_vif_vrouter import registration
from os_vif_vrouter import repair
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs

DOMAIN_XML = """<domain type='qemu'>
  <name>instance-0000002a</name>
  <uuid>%(uuid)s</uuid>
  <devices>%(interfaces)s</devices>
</domain>"""
ETHERNET = """<interface type='ethernet'>
  <mac address='%(mac)s'/><target dev='%(dev)s'/><model type='virtio'/>
</interface>"""
VHOSTUSER = """<interface type='vhostuser'>
  <mac address='%(mac)s'/>
  <source type='unix' path='%(path)s' mode='server'/>
  <target dev='%(dev)s'/>
</interface>"""
HOSTDEV = """<interface type='hostdev' managed='yes'>
  <mac address='%(mac)s'/>
  <source><address type='pci' domain='0x0000' bus='0x0a' slot='0x00'
    function='0x1'/></source>
</interface>"""


def domain(interfaces, uuid=vifs.INSTANCE, running=True):
    return audit.domain_interfaces(DOMAIN_XML % {
        'uuid': uuid, 'interfaces': ''.join(interfaces)}, running=running)


def ethernet(vif):
    return ETHERNET % {'mac': vif.address, 'dev': vif.vif_name}


class AuditTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.port_dir = self.stand_in.port_dir
        self.client = self.stand_in.client()
        self.registrar = registration.Registrar(self.client, self.port_dir)
        self.devices = set()

    def plug(self, vif, representor=None):
        port = ports.from_vif(vif, vifs.instance_info())
        if representor is not None:
            port = port.on_device(representor)
        self.registrar.register(port, agent_down_ok=True)
        return vif

    def audit(self, interfaces):
        return audit.audit(audit.read_port_files(self.port_dir), interfaces,
                           self.client, self.devices.__contains__)

    def kinds(self, findings):
        return [(f.kind, f.port_id) for f in findings]


class TestAudit(AuditTestCase):

    def test_no_drift(self):
        vif = self.plug(vifs.kernel())
        self.devices.add(vif.vif_name)
        self.assertEqual([], self.audit(domain([ethernet(vif)])))

    def test_every_datapath_is_matched_by_instance_and_mac(self):
        kernel = self.plug(vifs.kernel())
        dpdk = self.plug(vifs.dpdk('/var/run/vrouter/uvh_vif_x'))
        direct = self.plug(vifs.direct('0000:0a:00.1'), 'eth7')
        self.devices.update([kernel.vif_name, 'eth7'])
        interfaces = domain([
            ethernet(kernel),
            VHOSTUSER % {'mac': dpdk.address, 'dev': dpdk.vif_name,
                         'path': '/var/run/vrouter/uvh_vif_x'},
            HOSTDEV % {'mac': direct.address.upper()}])
        self.assertEqual([], self.audit(interfaces))

    def test_stale_file(self):
        vif = self.plug(vifs.kernel())
        findings = self.audit(domain([]))
        self.assertEqual([(audit.STALE_FILE, vif.id)], self.kinds(findings))
        # Another instance with the same MAC is not this port's (and that
        # tap of another instance has no port file).
        findings = self.audit(domain([ethernet(vif)],
                                     uuid=vifs.new_port_id()))
        self.assertEqual([(audit.STALE_FILE, vif.id),
                          (audit.MISSING_FILE, None)], self.kinds(findings))

    def test_missing_registration(self):
        self.agent.stop()
        vif = self.plug(vifs.kernel())  # only the file: the agent is down
        self.agent.start()  # the tap is absent: the replay skips it
        self.devices.add(vif.vif_name)
        findings = self.audit(domain([ethernet(vif)]))
        self.assertEqual([(audit.MISSING_REGISTRATION, vif.id)],
                         self.kinds(findings))

    def test_agent_would_skip(self):
        vif = self.plug(vifs.kernel())
        findings = self.audit(domain([ethernet(vif)]))
        self.assertEqual([(audit.AGENT_WOULD_SKIP, vif.id)],
                         self.kinds(findings))
        self.assertIn(vif.vif_name, findings[0].detail)

    def test_a_domain_that_does_not_run_has_no_tap_to_skip(self):
        # A stopped server, or a boot cut short after its plug: Nova
        # plugs the port again when it starts the domain.
        vif = self.plug(vifs.kernel())
        self.assertEqual([], self.audit(domain([ethernet(vif)],
                                               running=False)))

    def test_dpdk_port_has_no_netdev_to_skip(self):
        vif = self.plug(vifs.dpdk('/var/run/vrouter/uvh_vif_y'))
        interfaces = domain([VHOSTUSER % {
            'mac': vif.address, 'dev': vif.vif_name,
            'path': '/var/run/vrouter/uvh_vif_y'}])
        self.assertEqual([], self.audit(interfaces))

    def test_missing_file(self):
        vif = vifs.kernel()
        dpdk = vifs.dpdk('/var/run/vrouter/uvh_vif_z')
        other = vifs.kernel(vif_name='vnet3')
        findings = self.audit(domain([
            ethernet(vif), ethernet(other),
            VHOSTUSER % {'mac': dpdk.address, 'dev': dpdk.vif_name,
                         'path': '/var/run/vrouter/uvh_vif_z'},
            VHOSTUSER % {'mac': vifs.mac_of(vifs.new_port_id()),
                         'dev': 'vhu0', 'path': '/run/openvswitch/vhu0'},
            HOSTDEV % {'mac': vifs.mac_of(vifs.new_port_id())}]))
        self.assertEqual([audit.MISSING_FILE] * 2,
                         [f.kind for f in findings])
        self.assertEqual({vif.address, dpdk.address},
                         {f.interface.mac for f in findings})

    def test_unreadable_file(self):
        port_id = vifs.new_port_id()
        port_file.write(self.port_dir, port_id, b'{"id": "trunc')
        self.assertEqual([(audit.UNREADABLE_FILE, port_id)],
                         self.kinds(self.audit(domain([]))))

    def test_other_files_are_ignored(self):
        with open(os.path.join(self.port_dir, '.x.tmp'), 'w') as f:
            f.write('{')
        self.assertEqual([], self.audit(domain([])))

    def test_agent_unreachable(self):
        vif = self.plug(vifs.kernel())
        self.devices.add(vif.vif_name)
        self.agent.stop()
        findings = self.audit(domain([ethernet(vif)]))
        self.assertEqual([audit.AGENT_UNREACHABLE],
                         [f.kind for f in findings])
        self.assertIn(self.agent.address, findings[0].detail)

    def test_repair(self):
        stale = self.plug(vifs.kernel())
        self.agent.stop()
        lost = self.plug(vifs.kernel())
        self.agent.start()
        self.devices.add(lost.vif_name)
        missing = vifs.kernel()
        interfaces = domain([ethernet(lost), ethernet(missing)])
        port_files = audit.read_port_files(self.port_dir)
        findings = audit.audit(port_files, interfaces, self.client,
                               self.devices.__contains__)
        repaired, left = repair.repair(findings, port_files, self.client,
                                       self.port_dir, self.lock_path, 0,
                                       lambda: interfaces)
        self.assertEqual([(audit.STALE_FILE, stale.id),
                          (audit.MISSING_REGISTRATION, lost.id)],
                         self.kinds(repaired))
        self.assertEqual([audit.MISSING_FILE], [f.kind for f in left])
        self.assertEqual([lost.id], list(self.agent.ports()))
        self.assertEqual([lost.id], os.listdir(self.port_dir))
        # The agent now has exactly what the file says.
        self.assertTrue(registration.same_port(
            self.registrar.read(lost.id), self.agent.ports()[lost.id]))
        self.assertEqual([audit.MISSING_FILE], [
            f.kind for f in audit.audit(
                audit.read_port_files(self.port_dir), interfaces,
                self.client, self.devices.__contains__)])

    def test_repair_with_the_agent_down_leaves_the_findings(self):
        stale = self.plug(vifs.kernel())
        port_files = audit.read_port_files(self.port_dir)
        findings = audit.audit(port_files, domain([]), self.client,
                               self.devices.__contains__)
        self.agent.stop()
        repaired, left = repair.repair(findings, port_files, self.client,
                                       self.port_dir, self.lock_path, 0,
                                       lambda: [])
        self.assertEqual([], repaired)
        self.assertEqual([(audit.STALE_FILE, stale.id)], self.kinds(left))
        self.assertIn('repair failed', left[0].detail)
        self.assertEqual([stale.id], os.listdir(self.port_dir))


class TestRepairOnlyWhatIsProven(AuditTestCase):
    """--repair touches only ports it can prove are Nova's and stale."""

    def write(self, port_id, port_type=0, age=0):
        """A port file as the agent's other clients (or Nova) write it."""
        request = port_request.body(ports.from_cli(
            port_id, vifs.INSTANCE, vifs.NETWORK, vifs.mac_of(port_id),
            'ns' + port_id[:8], display_name='x', port_type=port_type))
        path = os.path.join(self.port_dir, port_id)
        port_file.write(self.port_dir, port_id,
                        port_request.to_json(request).encode())
        self.age(path, age)
        return port_id

    @staticmethod
    def age(path, seconds):
        then = time.time() - seconds
        os.utime(path, (then, then))

    def repair(self, interfaces=(), grace=3600, later=None):
        interfaces = list(interfaces)
        port_files = audit.read_port_files(self.port_dir)
        leftovers = audit.read_leftovers(self.port_dir)
        findings = audit.audit(port_files, interfaces, self.client,
                               self.devices.__contains__, leftovers)
        return repair.repair(findings, port_files, self.client,
                             self.port_dir, self.lock_path, grace,
                             later or (lambda: interfaces), leftovers)

    def test_ports_of_other_clients_are_left(self):
        namespace = self.write(vifs.new_port_id(), port_type=1, age=7200)
        esxi = self.write(vifs.new_port_id(), port_type=2, age=7200)
        repaired, left = self.repair()
        self.assertEqual([], repaired)
        self.assertEqual(sorted([namespace, esxi]),
                         sorted(f.port_id for f in left))
        for finding in left:
            self.assertIn('not a VM port', finding.detail)
        self.assertEqual(sorted([namespace, esxi]),
                         sorted(os.listdir(self.port_dir)))

    def test_a_port_plugged_a_moment_ago_is_left(self):
        # Nova plugs before it defines the domain.
        vif = self.plug(vifs.kernel())
        repaired, left = self.repair()
        self.assertEqual([], repaired)
        self.assertIn('within the grace period', left[0].detail)
        self.assertIn(vif.id, self.agent.ports())
        self.age(os.path.join(self.port_dir, vif.id), 3601)
        repaired, left = self.repair()
        self.assertEqual([(audit.STALE_FILE, vif.id)], self.kinds(repaired))

    def test_a_domain_defined_meanwhile_keeps_its_port(self):
        vif = self.plug(vifs.kernel())
        self.age(os.path.join(self.port_dir, vif.id), 7200)
        # The domain appears between the audit and the repair.
        repaired, left = self.repair(
            later=lambda: domain([ethernet(vif)]))
        self.assertEqual([], repaired)
        self.assertIn('its domain is defined now', left[0].detail)
        self.assertIn(vif.id, self.agent.ports())

    def test_never_readded_from_text_that_changed_or_vanished(self):
        self.agent.stop()
        vif = self.plug(vifs.kernel())
        self.agent.start()
        self.devices.add(vif.vif_name)
        path = os.path.join(self.port_dir, vif.id)
        self.age(path, 7200)
        interfaces = domain([ethernet(vif)])
        port_files = audit.read_port_files(self.port_dir)
        findings = audit.audit(port_files, interfaces, self.client,
                               self.devices.__contains__)
        self.assertEqual([(audit.MISSING_REGISTRATION, vif.id)],
                         self.kinds(findings))
        # Nova unplugs the port between the audit and the repair.
        self.registrar.deregister(vif.id)
        repaired, left = repair.repair(findings, port_files, self.client,
                                       self.port_dir, self.lock_path, 0,
                                       lambda: interfaces)
        self.assertEqual([], repaired)
        self.assertIn('changed or was removed', left[0].detail)
        self.assertEqual({}, self.agent.ports())

    def test_changed_file_is_left(self):
        vif = self.plug(vifs.kernel())
        path = os.path.join(self.port_dir, vif.id)
        self.age(path, 7200)
        port_files = audit.read_port_files(self.port_dir)
        findings = audit.audit(port_files, [], self.client,
                               self.devices.__contains__)
        # Re-plugged with a new tap meanwhile.
        vif.vif_name = 'tapnew'
        self.plug(vif)
        repaired, left = repair.repair(findings, port_files, self.client,
                                       self.port_dir, self.lock_path, 0,
                                       lambda: [])
        self.assertEqual([], repaired)
        self.assertIn('changed or was removed', left[0].detail)
        self.assertEqual('tapnew', self.agent.ports()[vif.id]['system-name'])

    def test_leftovers_older_than_the_grace_period_are_removed(self):
        old = '.%s.0a1b2c3d4e5f.tmp' % vifs.new_port_id()
        new = '.%s.0a1b2c3d4e5f.tmp' % vifs.new_port_id()
        for name, age in ((old, 7200), (new, 5)):
            with open(os.path.join(self.port_dir, name), 'w') as f:
                f.write('{"id": "')
            self.age(os.path.join(self.port_dir, name), age)
        repaired, left = self.repair()
        self.assertEqual([audit.TEMP_LEFTOVER], [f.kind for f in repaired])
        self.assertEqual([audit.TEMP_LEFTOVER], [f.kind for f in left])
        self.assertEqual([new], os.listdir(self.port_dir))
        self.assertIn(new, left[0].detail)

    def test_leftover_finding_without_its_leftover_is_left(self):
        # A finding whose temporary file is not among the leftovers given
        # (gone meanwhile, or findings and leftovers of two reads).
        port_id = vifs.new_port_id()
        finding = audit.Finding(audit.TEMP_LEFTOVER, port_id,
                                'temporary file', None)
        repaired, left = repair.repair([finding], [], self.client,
                                       self.port_dir, self.lock_path, 0,
                                       lambda: [], leftovers=())
        self.assertEqual([], repaired)
        self.assertEqual([(audit.TEMP_LEFTOVER, port_id)], self.kinds(left))
        self.assertIn('no temporary file of the port', left[0].detail)


class TestPortAuditCommand(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.registrar = registration.Registrar(self.stand_in.client(),
                                                self.stand_in.port_dir)

    def run_audit(self, interfaces, *options, **config):
        args = port_audit.build_parser().parse_args([
            '--port_json_path', self.stand_in.port_dir,
            '--agent_port', str(self.stand_in.agent.port),
            '--config-file', self.config_file(**config)] + list(options))
        list_interfaces = (interfaces if callable(interfaces)
                           else lambda: interfaces)
        out = io.StringIO()
        with mock.patch('sys.stdout', out):
            code = port_audit.run(args, list_interfaces)
        return code, out.getvalue()

    def test_json_report_and_repair(self):
        vif = vifs.kernel()
        self.registrar.register(
            ports.from_vif(vif, vifs.instance_info()), False)
        code, out = self.run_audit(domain([]), '--json')
        self.assertEqual(port_audit.EXIT_DRIFT, code)
        report = json.loads(out)
        self.assertEqual(1, report['port_files'])
        self.assertEqual([{'kind': audit.STALE_FILE, 'port_id': vif.id,
                           'detail': mock.ANY}], report['findings'])
        code, out = self.run_audit(domain([]), '--json', '--repair',
                                   '--grace_period', '0')
        self.assertEqual(port_audit.EXIT_OK, code)
        self.assertEqual([], json.loads(out)['findings'])
        self.assertEqual(1, len(json.loads(out)['repaired']))
        code, out = self.run_audit(domain([]))
        self.assertEqual((port_audit.EXIT_OK, '0 port files, 0 domain '
                          'interfaces\nno drift\n'), (code, out))

    def test_repair_looks_at_the_domains_again_under_the_lock(self):
        vif = vifs.kernel()
        self.registrar.register(
            ports.from_vif(vif, vifs.instance_info()), False)
        # The domain is defined between the audit and the repair.
        listings = iter([domain([]), domain([ethernet(vif)])])
        code, out = self.run_audit(lambda: next(listings), '--json',
                                   '--repair', '--grace_period', '0')
        self.assertEqual(port_audit.EXIT_DRIFT, code)
        report = json.loads(out)
        self.assertEqual([], report['repaired'])
        self.assertEqual([audit.STALE_FILE],
                         [f['kind'] for f in report['findings']])
        self.assertIn('its domain is defined now',
                      report['findings'][0]['detail'])
        self.assertIn(vif.id, self.stand_in.agent.ports())

    def test_devices_are_looked_up_under_sysfs_root(self):
        vif = vifs.kernel()
        self.registrar.register(
            ports.from_vif(vif, vifs.instance_info()), False)
        sysfs = self.useFixture(fixtures.TempDir()).path
        interfaces = domain([ethernet(vif)])
        code, out = self.run_audit(interfaces, '--json', sysfs_root=sysfs)
        self.assertEqual(port_audit.EXIT_DRIFT, code)
        self.assertEqual([audit.AGENT_WOULD_SKIP], [
            f['kind'] for f in json.loads(out)['findings']])
        os.makedirs(os.path.join(sysfs, 'class', 'net', vif.vif_name))
        code, out = self.run_audit(interfaces, '--json', sysfs_root=sysfs)
        self.assertEqual((port_audit.EXIT_OK, []),
                         (code, json.loads(out)['findings']))

    def test_agent_port_exposed(self):
        exposed = socket.socket()
        self.addCleanup(exposed.close)
        exposed.bind(('0.0.0.0', 0))
        exposed.listen(1)
        args = port_audit.build_parser().parse_args([
            '--port_json_path', self.stand_in.port_dir,
            '--agent_port', str(exposed.getsockname()[1]),
            '--config-file', self.config_file(), '--json'])
        out = io.StringIO()
        with mock.patch('sys.stdout', out):
            self.assertEqual(port_audit.EXIT_DRIFT,
                             port_audit.run(args, lambda: []))
        [finding] = json.loads(out.getvalue())['findings']
        self.assertEqual(audit.AGENT_EXPOSED, finding['kind'])
        self.assertIn('listens on 0.0.0.0', finding['detail'])
        # The stand-in listens on loopback only: nothing to say.
        code, out = self.run_audit(domain([]))
        self.assertEqual(port_audit.EXIT_OK, code)

    def test_unreadable_port_directory(self):
        args = port_audit.build_parser().parse_args(
            ['--port_json_path', os.path.join(self.stand_in.port_dir, 'x'),
             '--config-file', self.config_file()])
        with mock.patch('sys.stderr', io.StringIO()) as err:
            self.assertEqual(port_audit.EXIT_SOURCE,
                             port_audit.run(args, lambda: []))
        self.assertIn('cannot read', err.getvalue())

    def test_libvirt_unreachable(self):
        with mock.patch('sys.stderr', io.StringIO()) as err:
            code = port_audit.main(['--libvirt_uri', 'test:///nonexistent',
                                    '--port_json_path',
                                    self.stand_in.port_dir,
                                    '--config-file', self.config_file()])
        self.assertEqual(port_audit.EXIT_SOURCE, code)
        self.assertIn('Cannot read the domains of test:///nonexistent',
                      err.getvalue())

    def test_help_documents_every_option(self):
        text = port_audit.build_parser().format_help()
        for option in ('--libvirt_uri', '--port_json_path', '--agent_host',
                       '--agent_port', '--repair', '--json'):
            self.assertIn(option, text)
