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

"""The plugin against the stand-in agent: every VIF kind, agent failures.

Real HTTP on loopback, real port files in a temporary directory; the
privileged entrypoints run in-process.  Netdevs are real when the tests
run as root (a dummy or veth made for the test), else FakeLinks.
"""

import json
import os
import sys

import fixtures
import os_vif
from os_vif import exception as osv_exception
from vrouter_testing import agent_stand_in

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import exception
from os_vif_vrouter import registration
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import classic_files
from os_vif_vrouter.tests import fake_sysfs
from os_vif_vrouter.tests import vifs
from os_vif_vrouter.tests import watched_os
from os_vif_vrouter import vrouter

PF = '0000:0a:00.0'
VF = '0000:0a:02.1'
SWITCH = 'a1b2c3d4e5f60708'


class PluginTestCase(base.TestCase):

    plugin_name = 'vrouter'

    def setUp(self):
        super().setUp()
        self.devices = set()
        self.stand_in = self.useFixture(base.StandIn(
            start=False, device_exists=self.devices.__contains__))
        self.agent = self.stand_in.agent
        self.tmp = self.useFixture(fixtures.TempDir())
        self.flags(agent_port=self.agent.port,
                   port_dir=self.stand_in.port_dir,
                   agent_connect_timeout=1.0,
                   agent_read_timeout=5.0,
                   vhostuser_agent_wait=10.0,
                   vhostuser_socket_wait=10.0,
                   sysfs_root=self.tmp.join('sys'),
                   representor_map=self.tmp.join('fallback_map'))
        self.plugin = vrouter.VRouterPlugin.load(self.plugin_name)
        self.addCleanup(self.plugin.client.close)
        self.info = vifs.instance_info(name='web "front" -- 1\nprod')

    def port_file(self, port_id):
        """The port file as JSON, or None."""
        path = os.path.join(self.stand_in.port_dir, port_id)
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    def assertRegistered(self, vif, system_name, **expected):
        """The agent has the port and the port file says the same.

        (But for 'time' and 'author': a re-plug that changes nothing else
        leaves the file as it is.)
        """
        registered = self.agent.ports()[vif.id]
        stored = self.port_file(vif.id)
        self.assertTrue(registration.same_port(stored, registered),
                        '%r != %r' % (stored, registered))
        self.assertEqual(system_name, registered['system-name'])
        self.assertEqual(vif.id, registered['id'])
        self.assertEqual(vifs.INSTANCE, registered['instance-id'])
        self.assertEqual(vifs.NETWORK, registered['vn-id'])
        self.assertEqual(vifs.PROJECT, registered['vm-project-id'])
        self.assertEqual(self.info.name, registered['display-name'])
        self.assertEqual(vif.address, registered['mac-address'])
        self.assertEqual(0, registered['type'])
        self.assertEqual(-1, registered['rx-vlan-id'])
        self.assertEqual(-1, registered['tx-vlan-id'])
        for key, value in expected.items():
            self.assertEqual(value, registered[key.replace('_', '-')], key)
        return registered

    def assertGone(self, port_id):
        self.assertNotIn(port_id, self.agent.ports())
        self.assertIsNone(self.port_file(port_id))
        self.assertEqual([], [n for n in os.listdir(self.stand_in.port_dir)
                              if n.startswith('.')])


class TestKernel(PluginTestCase):

    def test_the_port_id_is_checked_once_where_it_enters(self):
        # And again only inside the privileged entrypoints, which trust no
        # caller (benchmarks/port_id_checks.py prints the whole table).
        self.agent.start()
        vif = vifs.kernel()
        checks = []
        predicate = osvt_validate.is_canonical_uuid.__code__

        def profile(frame, event, arg):
            if (event == 'call' and frame.f_code is predicate and
                    frame.f_locals.get('value') == vif.id):
                callers = []
                caller = frame.f_back
                while caller is not None:
                    callers.append(os.path.basename(
                        caller.f_code.co_filename))
                    caller = caller.f_back
                checks.append('privileged.py' in callers)

        sys.setprofile(profile)
        try:
            self.plugin.plug(vif, self.info)
        finally:
            sys.setprofile(None)
        self.assertRegistered(vif, vif.vif_name)
        self.assertEqual(1, checks.count(False), checks)
        # read, stage and commit the port file: one entrypoint each.
        self.assertEqual(3, checks.count(True), checks)

    def test_plug_unplug(self):
        self.agent.start()
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)
        registered = self.assertRegistered(
            vif, vifs.tap_name(vif.id), ip_address='10.0.0.5',
            ip6_address='2001:db8::5')
        self.assertNotIn('vhostuser-mode', registered)
        self.plugin.unplug(vif, self.info)
        self.assertGone(vif.id)
        self.plugin.unplug(vif, self.info)  # idempotent
        self.assertIn(('DELETE', '/port/' + vif.id, 200),
                      self.agent.requests)

    def test_through_os_vif(self):
        self.agent.start()
        os_vif.initialize(reset=True)
        vif = vifs.kernel()
        os_vif.plug(vif, self.info)
        self.assertRegistered(vif, vifs.tap_name(vif.id))
        os_vif.unplug(vif, self.info)
        self.assertGone(vif.id)
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        exc = self.assertRaises(osv_exception.PlugException, os_vif.plug,
                                vif, self.info)
        self.assertIn('Failed to plug vRouter port %s' % vif.id, str(exc))

    def test_no_ip_addresses(self):
        self.agent.start()
        vif = vifs.kernel(ips=())
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, vifs.tap_name(vif.id),
                              ip_address='0.0.0.0', ip6_address='::')

    def test_agent_down_then_up(self):
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)  # a warning, not an error
        self.assertEqual({}, self.agent.ports())
        self.assertEqual(vif.id, self.port_file(vif.id)['id'])
        # libvirt has created the tap by the time the agent starts.
        self.devices.add(vifs.tap_name(vif.id))
        self.agent.start()
        self.assertEqual([vif.id], self.agent.replayed)
        self.assertRegistered(vif, vifs.tap_name(vif.id))

    def test_agent_down_tap_missing_at_replay(self):
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)
        self.agent.start()
        self.assertEqual([(vif.id, 'Interface does not exist in OS')],
                         self.agent.replay_skipped)
        # Plugging again (Nova does at start) registers it.
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, vifs.tap_name(vif.id))

    def test_unplug_with_agent_down(self):
        self.agent.start()
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)
        self.agent.stop()
        self.plugin.unplug(vif, self.info)
        self.assertIsNone(self.port_file(vif.id))
        self.devices.add(vifs.tap_name(vif.id))
        self.agent.start()
        self.assertEqual({}, self.agent.ports())

    def test_agent_refuses(self):
        self.agent.start()
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        vif = vifs.kernel()
        exc = self.assertRaises(exception.VRouterPlugError,
                                self.plugin.plug, vif, self.info)
        self.assertIsInstance(exc.error, exception.AgentRequestFailed)
        self.assertEqual(500, exc.error.status)
        self.assertEqual('Internal error (fail mode)',
                         exc.error.agent_message)
        self.assertIn(vif.id, str(exc))
        self.assertIn('Internal error (fail mode)', str(exc))
        self.assertGone(vif.id)

    def test_agent_refuses_replug_keeps_what_it_has(self):
        self.agent.start()
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)
        before = self.port_file(vif.id)
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        self.assertRaises(exception.VRouterPlugError, self.plugin.plug, vif,
                          self.info)
        # The agent still has the port as the file describes it.
        self.assertEqual(before, self.port_file(vif.id))
        self.assertEqual(before, self.agent.ports()[vif.id])

    def test_agent_refuses_changed_replug_keeps_the_old_file(self):
        self.agent.start()
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)
        before = self.port_file(vif.id)
        vif.vif_name = 'tapnew'

        def refuse_adds(method, path, body, route=self.agent._route):
            if method == 'POST':
                return 500, agent_stand_in._error('Invalid VN uuid')
            return route(method, path, body)

        self.useFixture(fixtures.MonkeyPatch(
            'vrouter_testing.agent_stand_in.AgentStandIn._route',
            lambda agent, *args: refuse_adds(*args)))
        exc = self.assertRaises(exception.VRouterPlugError,
                                self.plugin.plug, vif, self.info)
        self.assertEqual('Invalid VN uuid', exc.error.agent_message)
        # Even the old port could not be added again; its file stays, so
        # the agent has it back at its next start.
        self.assertEqual(before, self.port_file(vif.id))

    def test_slow_agent_times_out(self):
        self.flags(agent_read_timeout=0.05)
        plugin = vrouter.VRouterPlugin.load('vrouter')
        self.agent.start()
        self.agent.set_delay(30)
        vif = vifs.kernel()
        exc = self.assertRaises(exception.VRouterPlugError, plugin.plug, vif,
                                self.info)
        self.assertIsInstance(exc.error, exception.AgentTimeout)
        self.assertIsNone(self.port_file(vif.id))
        exc = self.assertRaises(exception.VRouterUnplugError, plugin.unplug,
                                vif, self.info)
        self.assertIsInstance(exc.error, exception.AgentTimeout)

    def test_connection_reset(self):
        self.agent.start()
        self.agent.set_fail_mode(agent_stand_in.FAIL_RESET)
        vif = vifs.kernel()
        exc = self.assertRaises(exception.VRouterPlugError, self.plugin.plug,
                                vif, self.info)
        self.assertIsInstance(exc.error, exception.AgentConnectionLost)
        self.assertGone(vif.id)

    def test_agent_restart(self):
        self.agent.start()
        vif = vifs.kernel()
        self.devices.add(vifs.tap_name(vif.id))
        self.plugin.plug(vif, self.info)
        self.agent.restart()
        self.assertRegistered(vif, vifs.tap_name(vif.id))
        self.plugin.unplug(vif, self.info)  # on a new connection
        self.assertGone(vif.id)

    def test_replug_same_port_only_bumps_version(self):
        self.agent.start()
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)
        self.plugin.plug(vif, self.info)
        self.assertEqual(2, self.agent.version(vif.id))
        self.assertNotIn('DELETE', [m for m, _, _ in self.agent.requests])

    def test_replug_after_upgrade_from_classic_tooling(self):
        # The host before the upgrade: the upstream plugin (through the
        # classic script) wrote the file; the agent replayed it.
        for ips in (('10.0.0.5',), ('10.0.0.5', '2001:db8::5')):
            vif = vifs.kernel(ips=ips)
            vif.address = vif.address.upper()
            with open(os.path.join(self.stand_in.port_dir, vif.id),
                      'w') as f:
                f.write(classic_files.upstream_plugin_file(vif, self.info))
            self.devices.add(vif.vif_name)
            self.agent.restart()
            self.assertIn(vif.id, self.agent.ports())
            vif.address = vif.address.lower()
            # nova-compute restarts with this plugin: the port must stay.
            self.plugin.plug(vif, self.info)
            self.assertNotIn('DELETE', [m for m, _, _ in self.agent.requests])
            self.assertEqual(2, self.agent.version(vif.id))

    def test_replug_with_changes_deletes_first(self):
        self.agent.start()
        vif = vifs.kernel()
        self.plugin.plug(vif, self.info)
        for change in ({'vif_name': 'tapnew'},
                       {'address': 'fa:16:3e:00:00:99'},
                       {'network': vifs.network(ips=('10.0.0.9',))}):
            for field, value in change.items():
                setattr(vif, field, value)
            self.plugin.plug(vif, self.info)
            self.assertRegistered(vif, vif.vif_name)
            self.assertEqual(1, self.agent.version(vif.id))
        deletes = [r for r in self.agent.requests if r[0] == 'DELETE']
        self.assertEqual(3, len(deletes))

    def test_replug_over_unreadable_file(self):
        self.agent.start()
        vif = vifs.kernel()
        with open(os.path.join(self.stand_in.port_dir, vif.id), 'w') as f:
            f.write('{"id": "trunc')
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, vifs.tap_name(vif.id))

    def test_unplug_unknown_port(self):
        self.agent.start()
        self.plugin.unplug(vifs.kernel(), self.info)

    def test_port_file_write_fails(self):
        self.agent.start()
        vif = vifs.kernel()

        def disk_full(written):
            raise OSError(28, 'No space left on device')

        self.useFixture(watched_os.watch_port_file_writes(disk_full))
        exc = self.assertRaises(exception.VRouterPlugError, self.plugin.plug,
                                vif, self.info)
        self.assertIsInstance(exc.error, exception.PortFileError)
        self.assertIn('No space left on device', str(exc))
        # The registration was undone.
        self.assertGone(vif.id)

    def test_port_file_unreadable(self):
        self.agent.start()
        vif = vifs.kernel()
        os.mkdir(os.path.join(self.stand_in.port_dir, vif.id))
        exc = self.assertRaises(exception.VRouterPlugError, self.plugin.plug,
                                vif, self.info)
        self.assertIsInstance(exc.error, exception.PortFileError)
        # Nothing was sent to the agent.
        self.assertEqual([], self.agent.requests)


class TestDpdk(PluginTestCase):

    plugin_name = 'contrail_vrouter'

    def test_qemu_server(self):
        self.agent.start()
        vif = vifs.dpdk(self.tmp.join('uvh_vif_x'), mode='server')
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, vifs.tap_name(vif.id), vhostuser_mode=1)
        self.plugin.unplug(vif, self.info)
        self.assertGone(vif.id)

    def test_vrouter_server_waits_for_socket(self):
        self.agent.start()
        path = self.tmp.join('uvh_vif_y')
        with open(path, 'w'):
            pass  # the vRouter created it
        vif = vifs.dpdk(path, mode='client')
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, vifs.tap_name(vif.id), vhostuser_mode=0)

    def test_socket_never_created(self):
        self.flags(vhostuser_socket_wait=0.05)
        plugin = vrouter.VRouterPlugin.load('contrail_vrouter')
        self.agent.start()
        vif = vifs.dpdk(self.tmp.join('never'), mode='client')
        exc = self.assertRaises(exception.VRouterPlugError, plugin.plug, vif,
                                self.info)
        self.assertIsInstance(exc.error, exception.VhostUserSocketTimeout)
        self.assertIn(self.tmp.join('never'), str(exc))
        self.assertGone(vif.id)

    def test_socket_timeout_on_replug_keeps_the_running_port(self):
        path = self.tmp.join('uvh_vif_z')
        with open(path, 'w'):
            pass
        self.agent.start()
        vif = vifs.dpdk(path, mode='client')
        self.plugin.plug(vif, self.info)
        before = self.port_file(vif.id)
        # nova-compute restarts while the vRouter is slow to serve the
        # socket again: the plug fails, the guest keeps its port.
        os.unlink(path)
        self.flags(vhostuser_socket_wait=0.05)
        plugin = vrouter.VRouterPlugin.load('contrail_vrouter')
        self.addCleanup(plugin.client.close)
        exc = self.assertRaises(exception.VRouterPlugError, plugin.plug, vif,
                                self.info)
        self.assertIsInstance(exc.error, exception.VhostUserSocketTimeout)
        self.assertEqual(before, self.port_file(vif.id))
        self.assertIn(vif.id, self.agent.ports())
        self.assertNotIn('DELETE', [m for m, _, _ in self.agent.requests])

    def test_unset_mode_path_or_instance_uuid_refused_first(self):
        self.agent.start()
        for field in ('mode', 'path', 'uuid'):
            vif = vifs.dpdk(self.tmp.join('uvh_vif_q'), mode='client')
            info = vifs.instance_info()
            delattr(info if field == 'uuid' else vif, field)
            exc = self.assertRaises(exception.VRouterPlugError,
                                    self.plugin.plug, vif, info)
            self.assertIsInstance(exc.error, exception.InvalidPortData)
            self.assertIn(field, str(exc))
            self.assertIn(vif.id, str(exc))
            self.assertEqual([], self.agent.requests, field)
            self.assertGone(vif.id)

    def test_waits_for_agent(self):
        self.agent.start(delay=0.2)
        vif = vifs.dpdk(self.tmp.join('uvh_vif_x'))
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, vifs.tap_name(vif.id), vhostuser_mode=1)

    def test_agent_never_comes(self):
        self.flags(vhostuser_agent_wait=0.1)
        plugin = vrouter.VRouterPlugin.load('contrail_vrouter')
        vif = vifs.dpdk(self.tmp.join('uvh_vif_x'))
        exc = self.assertRaises(exception.VRouterPlugError, plugin.plug, vif,
                                self.info)
        self.assertIsInstance(exc.error, exception.AgentNotReady)
        # Unlike the kernel datapath, no port file without the agent.
        self.assertIsNone(self.port_file(vif.id))

    def test_agent_down_at_host_start_fails_fast_after_one_wait(self):
        self.flags(vhostuser_agent_wait=0.1, agent_down_memory=60)
        plugin = vrouter.VRouterPlugin.load('contrail_vrouter')
        self.addCleanup(plugin.client.close)
        ports = [vifs.dpdk(self.tmp.join('uvh_vif_%d' % i))
                 for i in range(5)]
        errors = []
        for vif in ports:
            exc = self.assertRaises(exception.VRouterPlugError, plugin.plug,
                                    vif, self.info)
            errors.append(type(exc.error))
        self.assertEqual([exception.AgentNotReady] +
                         [exception.AgentRecentlyDown] * 4, errors)
        # The agent is back: the next plug does not wait for the memory
        # to run out.
        self.agent.start()
        plugin.plug(ports[0], self.info)
        self.assertRegistered(ports[0], vifs.tap_name(ports[0].id),
                              vhostuser_mode=1)

    def test_unplug_with_agent_down(self):
        self.agent.start()
        vif = vifs.dpdk(self.tmp.join('uvh_vif_x'))
        self.plugin.plug(vif, self.info)
        self.agent.stop()
        self.plugin.unplug(vif, self.info)
        self.assertIsNone(self.port_file(vif.id))


class OffloadTestCase(PluginTestCase):

    def setUp(self):
        super().setUp()
        self.sysfs = fake_sysfs.FakeSysfs(self.tmp.join('sys'))
        self.agent.start()

    def write_map(self, text):
        with open(self.tmp.join('fallback_map'), 'w') as f:
            f.write(text)


class TestOffload(OffloadTestCase):

    def setUp(self):
        super().setUp()
        self.links = self.useFixture(base.FakeLinks('eth_rep1', 'nfp_v0.1',
                                                    'tapfallback'))

    def test_direct_by_switchdev(self):
        self.sysfs.add_pf(PF, 'enp10s0f0', SWITCH, ['0000:0a:02.0', VF])
        self.sysfs.add_representor('eth_rep1', SWITCH, 'pf0vf1')
        vif = vifs.direct(VF)
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, 'eth_rep1')
        self.assertTrue(self.links.up['eth_rep1'])
        self.assertEqual({'eth_rep1'}, self.links.ipv6_disabled)
        self.plugin.unplug(vif, self.info)
        self.assertGone(vif.id)
        self.assertFalse(self.links.up['eth_rep1'])

    def test_direct_by_vendor_map(self):
        self.write_map('0 %s nfp_v0.1 1\n' % VF)
        vif = vifs.direct(VF)
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, 'nfp_v0.1')
        self.assertTrue(self.links.up['nfp_v0.1'])

    def test_virtio_forwarder(self):
        self.write_map('0 %s nfp_v0.1 1\n' % VF)
        vif = vifs.virtio_forwarder(VF, self.tmp.join('vio.sock'))
        self.plugin.plug(vif, self.info)
        registered = self.assertRegistered(vif, 'nfp_v0.1')
        # The agent sees an ordinary kernel port.
        self.assertNotIn('vhostuser-mode', registered)
        self.plugin.unplug(vif, self.info)
        self.assertGone(vif.id)
        self.assertFalse(self.links.up['nfp_v0.1'])

    def test_fallback_to_profile_name(self):
        vif = vifs.direct(VF)
        vif.port_profile.datapath_offload.representor_name = 'tapfallback'
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, 'tapfallback')

    def test_representor_missing(self):
        vif = vifs.direct(VF)
        vif.port_profile.datapath_offload.representor_name = 'tapnothere'
        exc = self.assertRaises(exception.VRouterPlugError, self.plugin.plug,
                                vif, self.info)
        self.assertIsInstance(exc.error, exception.NetworkDeviceNotFound)
        self.assertGone(vif.id)

    def test_agent_refuses_sets_representor_down_again(self):
        self.write_map('0 %s nfp_v0.1 1\n' % VF)
        self.agent.set_fail_mode(agent_stand_in.FAIL_ERROR)
        vif = vifs.direct(VF)
        self.assertRaises(exception.VRouterPlugError, self.plugin.plug, vif,
                          self.info)
        self.assertFalse(self.links.up['nfp_v0.1'])
        self.assertGone(vif.id)

    def test_agent_down(self):
        self.write_map('0 %s nfp_v0.1 1\n' % VF)
        self.agent.stop()
        vif = vifs.direct(VF)
        self.plugin.plug(vif, self.info)
        self.assertEqual('nfp_v0.1', self.port_file(vif.id)['system-name'])
        self.assertTrue(self.links.up['nfp_v0.1'])

    def test_unplug_uses_registered_device(self):
        self.write_map('0 %s nfp_v0.1 1\n' % VF)
        vif = vifs.direct(VF)
        self.plugin.plug(vif, self.info)
        self.write_map('')  # the map changed since
        self.plugin.unplug(vif, self.info)
        self.assertFalse(self.links.up['nfp_v0.1'])
        self.assertGone(vif.id)

    def test_unplug_without_port_file_resolves_again(self):
        self.write_map('0 %s nfp_v0.1 1\n' % VF)
        vif = vifs.direct(VF)
        self.plugin.plug(vif, self.info)
        os.unlink(os.path.join(self.stand_in.port_dir, vif.id))
        self.plugin.unplug(vif, self.info)
        self.assertFalse(self.links.up['nfp_v0.1'])
        self.assertGone(vif.id)

    def test_unplug_representor_not_found(self):
        vif = vifs.direct(VF)
        vif.port_profile.datapath_offload.representor_name = 'tapfallback'
        self.plugin.plug(vif, self.info)
        os.unlink(os.path.join(self.stand_in.port_dir, vif.id))
        vif.port_profile.datapath_offload.representor_name = None
        self.plugin.unplug(vif, self.info)
        # Deregistered; the representor could not be named, so it stays.
        self.assertGone(vif.id)
        self.assertTrue(self.links.up['tapfallback'])

    def test_unplug_representor_gone(self):
        self.write_map('0 %s nfp_v0.1 1\n' % VF)
        vif = vifs.direct(VF)
        self.plugin.plug(vif, self.info)
        del self.links.up['nfp_v0.1']
        self.plugin.unplug(vif, self.info)
        self.assertGone(vif.id)


class TestOffloadRealNetdev(OffloadTestCase):

    def test_direct(self):
        netdev = base.netdev_or_skip(self)
        self.sysfs.add_pf(PF, 'enp10s0f0', SWITCH, [VF])
        self.sysfs.add_representor(netdev.name, SWITCH, 'pf0vf0')
        vif = vifs.direct(VF)
        self.plugin.plug(vif, self.info)
        self.assertRegistered(vif, netdev.name)
        self.assertTrue(netdev.is_up())
        disable_ipv6 = '/proc/sys/net/ipv6/conf/%s/disable_ipv6' % netdev.name
        if os.path.exists(disable_ipv6):
            with open(disable_ipv6) as f:
                self.assertEqual('1', f.read().strip())
        self.plugin.unplug(vif, self.info)
        self.assertFalse(netdev.is_up())
        self.assertGone(vif.id)
