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

import logging
import os
from unittest import mock

import fixtures
import os_vif
from os_vif import exception as osv_exception
from os_vif import objects
from oslo_config import cfg

from os_vif_translate import exception as osvt_exception
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import opts
from os_vif_vrouter import ports
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs
from os_vif_vrouter import vrouter

VF = '0000:0a:02.1'


class TestLoadAndDescribe(base.TestCase):

    def test_both_names_share_one_config_group(self):
        self.flags(agent_port=19091)
        for name in constants.PLUGIN_NAMES:
            plugin = vrouter.VRouterPlugin.load(name)
            self.assertEqual(name, plugin.plugin_name)
            self.assertEqual(19091, plugin.client.port)
            self.assertEqual(19091, plugin.config.agent_port)
        self.assertNotIn('os_vif_contrail_vrouter', self.conf)

    def test_os_vif_lists_the_options_where_they_are_read(self):
        # Nova's sample configuration lists the CONFIG_OPTS of every
        # os-vif plugin under [os_vif_<name>] (os_vif.opts; the generator
        # leaves out a group without options); both names read
        # [os_vif_vrouter] only.
        os_vif.initialize()
        from os_vif import opts as osv_opts

        ours = {'os_vif_' + name for name in constants.PLUGIN_NAMES}
        listed = {group: [opt.name for opt in group_opts]
                  for group, group_opts in osv_opts.list_plugins_opts()
                  if group in ours and group_opts}
        self.assertEqual({constants.CONFIG_GROUP: [
            opt.name for opt in opts.ALL_OPTS]}, listed)

    @staticmethod
    def _summary(info):
        return {
            vif.vif_object_name: (
                vif.min_version, vif.max_version,
                [(p.profile_object_name, p.min_version, p.max_version)
                 for p in vif.supported_port_profiles])
            for vif in info.vif_info}

    def test_describe(self):
        info = vrouter.VRouterPlugin.load('contrail_vrouter').describe()
        self.assertEqual('contrail_vrouter', info.plugin_name)
        self.assertEqual({
            'VIFGeneric': ('1.0', '1.0', []),
            'VIFVHostUser': ('1.1', '1.1',
                             [('VIFPortProfileBase', '1.1', '1.1')]),
            'VIFHostDevice': ('1.0', '1.0',
                              [('VIFPortProfileBase', '1.1', '1.1')]),
        }, self._summary(info))
        # Every version is one this os-vif has.
        for vif in info.vif_info:
            self.assertEqual(vif.max_version, vif.get_common_version())
            for profile in vif.supported_port_profiles:
                self.assertEqual(profile.max_version,
                                 profile.get_common_version())
        # And it round-trips as an os-vif object.
        copy = objects.host_info.HostPluginInfo.obj_from_primitive(
            info.obj_to_primitive())
        self.assertEqual(self._summary(info), self._summary(copy))


class TestLoadPreflight(base.TestCase):
    """A misconfiguration is one clear log line at load, then a typed error
    at each plug; never a traceback, never a plugin os-vif did not load.
    """

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name='os_vif_vrouter', level=logging.WARNING))
        # What this test's "process" has said (load() shares the real
        # process's).
        self.once = vrouter.LogOnce(vrouter.LOG)

    def load(self, name):
        """VRouterPlugin.load(name), saying things once per test."""
        return vrouter.VRouterPlugin(
            opts.register_opts(cfg.CONF), plugin_name=name,
            lock_path=self.lock_path, log_once=self.once)

    def test_load_shares_the_process_log(self):
        for name in constants.PLUGIN_NAMES:
            self.assertIs(vrouter.PROCESS_LOG,
                          vrouter.VRouterPlugin.load(name).log_once)

    def _config_file(self, text):
        path = self.useFixture(fixtures.TempDir()).join('vrouter.conf')
        with open(path, 'w') as f:
            f.write(text)
        self.conf(['--config-file', path])

    def test_port_dir_present(self):
        self.flags(port_dir=self.useFixture(fixtures.TempDir()).path)
        plugin = self.load('vrouter')
        self.assertIsNone(plugin.misconfigured)
        self.assertEqual('', self.log.output)

    def test_port_dir_missing_is_one_warning_at_the_first_plug(self):
        missing = self.useFixture(fixtures.TempDir()).join('ports')
        self.flags(port_dir=missing)
        # os_vif.initialize() loads both names, maybe more than once: on a
        # host without vRouter ports, not a word.
        plugins = [self.load(name)
                   for name in ('vrouter', 'contrail_vrouter') * 2]
        self.assertEqual([None] * 4, [p.misconfigured for p in plugins])
        self.assertEqual('', self.log.output)
        # The first plugs say it, once for the process.
        stand_in = self.useFixture(base.StandIn())
        self.flags(agent_port=stand_in.agent.port)
        for plugin in (self.load('vrouter'),
                       self.load('vrouter')):
            self.addCleanup(plugin.client.close)
            plugin.plug(vifs.kernel(), vifs.instance_info())
        self.assertEqual(1, len(self.log.output.splitlines()))
        self.assertIn("port directory %s does not exist" % missing,
                      self.log.output)
        self.assertTrue(os.path.isdir(missing))

    def test_misconfiguration_is_said_once(self):
        self.flags(port_dir='relative/ports')
        for name in ('vrouter', 'contrail_vrouter') * 2:
            self.load(name)
        self.assertEqual(1, len(self.log.output.splitlines()))

    def test_relative_port_dir(self):
        self.flags(port_dir='var/lib/contrail/ports')
        plugin = self.load('vrouter')
        self.assertEqual(1, len(self.log.output.splitlines()))
        self.assertIn("misconfigured ([os_vif_vrouter]): Invalid port file "
                      "directory 'var/lib/contrail/ports': not an absolute "
                      "path", self.log.output)
        self.assertNotIn('Traceback', self.log.output)
        vif = vifs.kernel()
        exc = self.assertRaises(exception.VRouterPlugError, plugin.plug,
                                vif, vifs.instance_info())
        self.assertIn(vif.id, str(exc))
        self.assertIn('not an absolute path', str(exc))
        self.assertRaises(exception.VRouterUnplugError, plugin.unplug,
                          vif, vifs.instance_info())

    def test_invalid_agent_address(self):
        self._config_file('[os_vif_vrouter]\nagent_port = 90910\n')
        plugin = self.load('contrail_vrouter')
        self.assertIsInstance(plugin.misconfigured,
                              exception.PluginMisconfigured)
        self.assertEqual(1, len(self.log.output.splitlines()))
        self.assertIn('agent_port', self.log.output)
        # os-vif still describes it: Nova does not claim it is missing.
        self.assertEqual('contrail_vrouter',
                         plugin.describe().plugin_name)
        self.assertRaises(exception.VRouterPlugError, plugin.plug,
                          vifs.kernel(), vifs.instance_info())


class TestDispatch(base.TestCase):

    def setUp(self):
        super().setUp()
        self.plugin = vrouter.VRouterPlugin.load('vrouter')
        self.info = vifs.instance_info()

    def _patch(self, name):
        return self.useFixture(base.fixtures.MockPatchObject(
            vrouter.VRouterPlugin, name, autospec=True)).mock

    def _vifs(self):
        return (vifs.kernel(), vifs.dpdk('/run/vrouter/uvh_vif_x'),
                vifs.direct(VF), vifs.virtio_forwarder(VF, '/run/x.sock'))

    def test_plug_branches(self):
        kernel = self._patch('_plug_kernel')
        vhostuser = self._patch('_plug_vhostuser')
        offload = self._patch('_plug_offload')
        vif_kernel, vif_dpdk, vif_direct, vif_forwarder = self._vifs()
        for vif in (vif_kernel, vif_dpdk, vif_direct, vif_forwarder):
            self.plugin.plug(vif, self.info)
        # Each gets the port parsed once from the VIF.
        kernel.assert_called_once_with(
            self.plugin, ports.from_vif(vif_kernel, self.info))
        vhostuser.assert_called_once_with(
            self.plugin, ports.from_vif(vif_dpdk, self.info))
        self.assertEqual(
            [mock.call(self.plugin, ports.from_vif(vif_direct, self.info)),
             mock.call(self.plugin,
                       ports.from_vif(vif_forwarder, self.info))],
            offload.call_args_list)

    def test_unplug_branches(self):
        port = self._patch('_unplug_port')
        offload = self._patch('_unplug_offload')
        vif_kernel, vif_dpdk, vif_direct, vif_forwarder = self._vifs()
        for vif in (vif_kernel, vif_dpdk, vif_direct, vif_forwarder):
            self.plugin.unplug(vif, self.info)
        self.assertEqual([mock.call(self.plugin, vif_kernel.id),
                          mock.call(self.plugin, vif_dpdk.id)],
                         port.call_args_list)
        self.assertEqual(
            [mock.call(self.plugin, ports.attachment_of(vif_direct)),
             mock.call(self.plugin, ports.attachment_of(vif_forwarder))],
            offload.call_args_list)

    def assertPlugError(self, vif, cause, *fragments, method='plug'):
        expected = {'plug': exception.VRouterPlugError,
                    'unplug': exception.VRouterUnplugError}[method]
        exc = self.assertRaises(expected, getattr(self.plugin, method), vif,
                                self.info)
        self.assertIsInstance(exc, (osv_exception.PlugException,
                                    osv_exception.UnplugException))
        self.assertIsInstance(exc.error, cause)
        self.assertIs(exc.__cause__, exc.error)
        self.assertIn(vif.id, str(exc))
        for fragment in fragments:
            self.assertIn(fragment, str(exc))
        return exc

    def test_unsupported_vif(self):
        vif = objects.vif.VIFBridge(id=vifs.new_port_id(), plugin='vrouter',
                                    vif_name='tapx', bridge_name='br0')
        for method in ('plug', 'unplug'):
            self.assertPlugError(vif, exception.UnsupportedVIF, 'VIFBridge',
                                 method=method)

    def test_other_plugins_profile(self):
        vif = vifs.kernel()
        vif.port_profile = objects.vif.VIFPortProfileOpenVSwitch(
            interface_id=vif.id)
        for method in ('plug', 'unplug'):
            self.assertPlugError(vif, exception.WrongPortProfile,
                                 'VIFPortProfileOpenVSwitch', method=method)

    def test_other_datapath_offload(self):
        vif = vifs.direct(VF)
        vif.port_profile.datapath_offload = (
            objects.vif.DatapathOffloadBase())
        self.assertPlugError(vif, exception.WrongPortProfile,
                             'DatapathOffloadBase')

    def test_generic_with_representor(self):
        vif = vifs.kernel()
        vif.port_profile = vifs.representor_profile(VF, 'tapx')
        for method in ('plug', 'unplug'):
            self.assertPlugError(vif, exception.WrongPortProfile,
                                 'VIFGeneric', method=method)

    def test_host_device_without_profile(self):
        for profile in (None, objects.vif.VIFPortProfileBase()):
            vif = vifs.direct(VF)
            if profile is None:
                del vif.port_profile
            else:
                vif.port_profile = profile
            for method in ('plug', 'unplug'):
                self.assertPlugError(vif, exception.MissingPortProfile,
                                     'VIFHostDevice', method=method)

    def test_vhostuser_without_vif_name(self):
        vif = vifs.dpdk('/run/x.sock')
        del vif.vif_name
        self.assertPlugError(vif, exception.InvalidPortData, 'no vif_name')

    def test_invalid_port_id(self):
        vif = vifs.kernel()
        vif.id = vif.id.upper()
        exc = self.assertPlugError(vif, osvt_exception.InvalidPortId)
        self.assertIn('canonical lower-case UUID', str(exc))

    def test_profile_without_vf(self):
        vif = vifs.virtio_forwarder(VF, '/run/x.sock')
        vif.port_profile.datapath_offload.representor_address = None
        self.assertPlugError(vif, exception.InvalidPortData,
                             'representor_address')
