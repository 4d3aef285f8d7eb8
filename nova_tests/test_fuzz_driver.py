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
raises Nova's typed errors naming the port; plug and unplug raise only the
plug/unplug exceptions.  The profile comes from HYPOTHESIS_PROFILE (see
os_vif_translate.tests.strategies).
"""

import hypothesis
from lxml import etree

from nova import exception
from nova.network import model
from nova.network import model_vrouter
from nova import objects
from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.virt.libvirt import vif_vrouter
from os_vif_translate.tests import strategies

import test_domain_schema
import vrouter_bindings

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
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.instance = objects.Instance(**vrouter_bindings.INSTANCE)
        self.flavor = objects.Flavor(
            vcpus=2, memory_mb=128,
            extra_specs={'hw:vif_multiqueue_enabled': 'true'})

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
        # os-vif is not initialized here: a valid VIF reaches os_vif.plug,
        # which refuses, and that is a plug error too.
        try:
            self.driver.plug(self.instance, vif)
        except exception.VirtualInterfacePlugException:
            pass
        try:
            self.driver.unplug(self.instance, vif)
        except exception.VirtualInterfaceUnplugException:
            pass
