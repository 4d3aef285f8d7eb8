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

"""Property-based tests of the patched libvirt driver for vRouter VIFs.

For any legacy VIF, valid or broken, LibvirtVRouterVIFDriver.get_config
either returns an interface that is valid libvirt XML inside a domain, or
raises Nova's typed errors naming the port.  Plugging through the real
vRouter os-vif plugin into a stand-in agent either registers the port and
writes its file, or raises the plug exception and leaves neither; unplug
always leaves neither.  The profile comes from HYPOTHESIS_PROFILE (see
os_vif_translate.tests.strategies).
"""

import copy
import os

import fixtures
import hypothesis
from lxml import etree
import os_vif
from stevedore import extension

import nova.conf
from nova import exception
from nova.network import model
from nova.network import model_vrouter
from nova import objects
from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.virt.libvirt import vif_vrouter
from os_vif_translate.tests import strategies
from os_vif_vrouter import opts as osvv_opts
from os_vif_vrouter.tests import base as osvv_base
from os_vif_vrouter import vrouter

import stand_in_process
import test_domain_schema
import vrouter_bindings

CONF = nova.conf.CONF

_CONFIG_ERRORS = (exception.VRouterVIFInvalid,
                  exception.VifDetailsMissingVhostuserSockPath)


class DriverFuzzTestCase(test.NoDBTestCase):

    def setUp(self):
        super().setUp()
        libvirt = self.useFixture(
            nova_fixtures.LibvirtFixture(stub_os_vif=False))
        libvirt.mock_uname.return_value = fakelibvirt.os_uname(
            'Linux', '', '5.10.13-200-generic', '', 'x86_64')
        self.schema = etree.RelaxNG(etree.parse(test_domain_schema.SCHEMA))
        # The kernel ports' taps the driver makes and deletes, by name
        # (Nova's fixtures forbid reading /sys and privileged calls).
        self.taps = set()
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.vif_vrouter._read_netdev_attribute',
            return_value=None))
        self.useFixture(fixtures.MockPatch(
            'nova.privsep.linux_net.create_tap_dev',
            side_effect=lambda dev, **kwargs: self.taps.add(dev)))
        self.useFixture(fixtures.MockPatch(
            'nova.privsep.linux_net.delete_net_dev',
            side_effect=self.taps.discard))
        self.useFixture(fixtures.MockPatch(
            'nova.privsep.linux_net.set_device_mtu'))
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.flavor = objects.Flavor(
            vcpus=2, memory_mb=128,
            extra_specs={'hw:vif_multiqueue_enabled': 'true'})
        self.instance = objects.Instance(
            flavor=self.flavor, image_ref=None, system_metadata={},
            **vrouter_bindings.INSTANCE)
        self._stand_in = None

    def _hydrate(self, legacy_vif):
        try:
            return model.VIF.hydrate(legacy_vif)
        except Exception:
            # Nova's own model refuses it before any vRouter code runs.
            hypothesis.reject()

    @hypothesis.given(strategies.legacy_vifs())
    def test_get_config(self, legacy_vif):
        vif = self._hydrate(legacy_vif)
        hypothesis.assume(model_vrouter.is_vrouter_vif(vif))
        try:
            conf = self.driver.get_config(
                self.instance, vif, objects.ImageMeta.from_dict({}),
                self.flavor, 'kvm')
        except _CONFIG_ERRORS as exc:
            self.assertIn('Invalid vRouter VIF' if isinstance(
                exc, exception.VRouterVIFInvalid) else 'vif_details',
                str(exc))
            return
        domain = test_domain_schema._guest(conf, 'kvm').format_dom()
        self.assertTrue(self.schema.validate(domain),
                        str(self.schema.error_log))

    @hypothesis.given(strategies.legacy_vifs())
    def test_plug_unplug(self, legacy_vif):
        vif = self._hydrate(legacy_vif)
        hypothesis.assume(model_vrouter.is_vrouter_vif(vif))
        agent = self._plugged_into_stand_in()
        port_id = vif.get('id')
        try:
            self.driver.plug(self.instance, vif)
        except exception.VirtualInterfacePlugException:
            # Nothing half-done: no registration, no port file, no tap.
            self.assertFalse(agent.is_registered(port_id))
            self.assertEqual([], os.listdir(agent.port_dir))
            self.assertEqual(set(), self.taps)
        else:
            self.assertTrue(agent.is_registered(port_id))
            self.assertEqual([port_id], os.listdir(agent.port_dir))
        try:
            self.driver.unplug(self.instance, vif)
        except exception.VirtualInterfaceUnplugException:
            pass
        self.assertFalse(agent.is_registered(port_id))
        self.assertEqual([], os.listdir(agent.port_dir))
        self.assertEqual(set(), self.taps)

    def test_plug_unplug_recorded_bindings(self):
        # The property above is not vacuous: valid kernel and DPDK ports
        # do plug.  Here offloaded ports fail (there is no representor
        # netdev), and so does a DPDK port in client mode (no vRouter
        # creates its socket); both leave nothing.
        expected_failures = {
            'dpdk_client': 'did not create vhost-user socket',
            'offload_direct': 'does not exist',
            'offload_direct_no_devname': 'does not exist',
            'offload_virtio_forwarder': 'does not exist',
            'offload_virtio_forwarder_no_devname': 'does not exist',
        }
        agent = self._plugged_into_stand_in()
        plugged = []
        for name, binding in sorted(vrouter_bindings.BINDINGS.items()):
            vif = model.VIF.hydrate(copy.deepcopy(binding))
            try:
                self.driver.plug(self.instance, vif)
            except exception.VirtualInterfacePlugException as exc:
                self.assertIn(name, expected_failures, str(exc))
                self.assertIn(expected_failures[name], str(exc))
                self.assertFalse(agent.is_registered(vif['id']))
                self.assertEqual([], os.listdir(agent.port_dir))
            else:
                plugged.append(name)
                self.assertTrue(agent.is_registered(vif['id']))
            self.driver.unplug(self.instance, vif)
            self.assertFalse(agent.is_registered(vif['id']))
            self.assertEqual([], os.listdir(agent.port_dir))
            self.assertEqual(set(), self.taps)
        self.assertEqual(
            sorted(set(vrouter_bindings.BINDINGS) - set(expected_failures)),
            plugged)

    def _plugged_into_stand_in(self):
        """The real vRouter plugin, talking to a stand-in agent.

        Both os-vif plugin names load it, configured for the stand-in and
        its temporary port directory; its privileged calls run in-process.
        """
        if self._stand_in is None:
            stand_in = self.useFixture(stand_in_process.StandInProcess())
            self.useFixture(osvv_base.PrivsepInProcess())
            osvv_opts.register_opts(CONF)
            self.flags(agent_port=stand_in.port,
                       port_dir=stand_in.port_dir,
                       vhostuser_agent_wait=1, vhostuser_socket_wait=0,
                       agent_listener_uid=os.geteuid(),
                       representor_map=os.path.join(stand_in.port_dir,
                                                    'no-map'),
                       group='os_vif_vrouter')
            # The ports' locks: nova-compute's [oslo_concurrency].
            self.flags(lock_path=self.useFixture(fixtures.TempDir()).path,
                       group='oslo_concurrency')
            manager = extension.ExtensionManager.make_test_instance([
                extension.Extension(name, None, None,
                                    vrouter.VRouterPlugin.load(name))
                for name in model_vrouter.OS_VIF_PLUGINS])
            self.useFixture(test.fixtures.MockPatchObject(
                os_vif, '_EXT_MANAGER', manager))
            self._stand_in = stand_in
        return self._stand_in
