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

import ddt
from os_vif.objects import vif as osv_vif
from oslo_utils import importutils
import testtools

from nova import exception
from nova.network import model
from nova.network import model_vrouter
from nova import objects
from nova import test

PORT_ID = 'dc065497-3c8d-4f44-8fb4-e1d33c16a536'
SOCKET = '/var/run/vrouter/uvh_vif_tapdc065497-3c'
VHOSTUSER_DETAILS = {
    model.VIF_DETAILS_VHOSTUSER_MODE: 'server',
    model.VIF_DETAILS_VHOSTUSER_SOCKET: SOCKET,
    model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG: True,
}

# The translation library comes with the os-vif-vrouter distribution, which
# Nova does not require: the tests that translate run where it is installed.
os_vif_translate = importutils.try_import(model_vrouter.TRANSLATOR)
requires_translator = testtools.skipIf(
    os_vif_translate is None, 'os-vif-vrouter is not installed')


def _vif(**kwargs):
    return model.VIF(
        id=PORT_ID, address='fa:16:3e:4c:2c:30',
        network=model.Network(id='b82c1929-051e-481d-8110-4669916c7915',
                              subnets=[]),
        devname='tapdc065497-3c', **kwargs)


VRouterVIFs = (
    ('kernel', _vif(type=model.VIF_TYPE_VROUTER),
     model_vrouter.DATAPATH_KERNEL),
    ('dpdk', _vif(type=model.VIF_TYPE_VHOSTUSER, details=VHOSTUSER_DETAILS),
     model_vrouter.DATAPATH_DPDK),
    ('offload_direct', _vif(type=model.VIF_TYPE_VROUTER,
                            vnic_type=model.VNIC_TYPE_DIRECT,
                            profile={'pci_slot': '0000:0a:00.1'}),
     model_vrouter.DATAPATH_OFFLOAD_DIRECT),
    ('offload_virtio_forwarder', _vif(
        type=model.VIF_TYPE_VROUTER,
        vnic_type=model.VNIC_TYPE_VIRTIO_FORWARDER,
        profile={'pci_slot': '0000:0a:00.1'},
        details=VHOSTUSER_DETAILS),
     model_vrouter.DATAPATH_OFFLOAD_VIRTIO_FORWARDER),
)

OTHER_VIFS = (
    ('ovs', _vif(type=model.VIF_TYPE_OVS)),
    ('vhostuser_ovs', _vif(type=model.VIF_TYPE_VHOSTUSER, details={
        model.VIF_DETAILS_VHOSTUSER_OVS_PLUG: True,
        model.VIF_DETAILS_VHOSTUSER_SOCKET: SOCKET})),
    ('vhostuser_vrouter_plug_false', _vif(
        type=model.VIF_TYPE_VHOSTUSER,
        details={model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG: False,
                 model.VIF_DETAILS_VHOSTUSER_SOCKET: SOCKET})),
    ('hw_veb', _vif(type=model.VIF_TYPE_HW_VEB,
                    vnic_type=model.VNIC_TYPE_DIRECT)),
    ('no_type', _vif(type=None)),
)


@ddt.ddt
class VRouterVIFTestCase(test.NoDBTestCase):
    """Telling vRouter VIFs from the others needs no library."""

    def setUp(self):
        super().setUp()
        self.import_translator = self.useFixture(
            test.fixtures.MockPatchObject(
                model_vrouter, '_import_translator')).mock

    @ddt.named_data(*VRouterVIFs)
    def test_vrouter_vif(self, vif, datapath):
        self.assertIn(datapath, model_vrouter.DATAPATHS)
        self.assertTrue(model_vrouter.is_vrouter_vif(vif))
        self.import_translator.assert_not_called()

    @ddt.named_data(*OTHER_VIFS)
    def test_other_vif_loads_nothing(self, vif):
        self.assertFalse(model_vrouter.is_vrouter_vif(vif))
        self.assertIsNone(model_vrouter.get_datapath(vif))
        self.assertIsNone(model_vrouter.nova_to_osvif_vif(vif))
        self.import_translator.assert_not_called()

    def test_not_a_mapping(self):
        self.assertFalse(model_vrouter.is_vrouter_vif(None))
        self.assertFalse(model_vrouter.is_vrouter_vif(
            _vif(type=model.VIF_TYPE_VHOSTUSER, details='vrouter')))


@ddt.ddt
class VRouterWithoutTranslatorTestCase(test.NoDBTestCase):
    """A vRouter VIF on a host without os-vif-vrouter: a typed error."""

    def setUp(self):
        super().setUp()
        self.useFixture(test.fixtures.MockPatchObject(
            model_vrouter, 'TRANSLATOR', 'os_vif_translate_not_installed'))

    @ddt.named_data(*VRouterVIFs)
    def test_vrouter_vif(self, vif, datapath):
        for convert in (model_vrouter.get_datapath,
                        model_vrouter.nova_to_osvif_vif):
            exc = self.assertRaises(exception.VRouterSupportNotInstalled,
                                    convert, vif)
            self.assertEqual(
                "Cannot serve vRouter port %s: the os-vif-vrouter package, "
                "which translates and plugs vRouter ports, is not installed "
                "in nova-compute's environment. Install it and restart "
                "nova-compute." % PORT_ID, str(exc))

    def test_instance(self):
        instance = objects.Instance(
            uuid='d5b1090c-9e00-4fa4-9504-4b1494857970', id=42)
        exc = self.assertRaises(exception.VRouterSupportNotInstalled,
                                model_vrouter.nova_to_osvif_instance,
                                instance)
        self.assertIn('the vRouter ports of instance '
                      'd5b1090c-9e00-4fa4-9504-4b1494857970', str(exc))

    @ddt.named_data(*OTHER_VIFS)
    def test_other_vif(self, vif):
        self.assertIsNone(model_vrouter.get_datapath(vif))
        self.assertIsNone(model_vrouter.nova_to_osvif_vif(vif))


@requires_translator
@ddt.ddt
class VRouterDatapathTestCase(test.NoDBTestCase):

    @ddt.named_data(*VRouterVIFs)
    def test_vrouter_vif(self, vif, datapath):
        self.assertEqual(datapath, model_vrouter.get_datapath(vif))

    def test_datapaths_are_the_librarys(self):
        from os_vif_translate import datapath
        self.assertEqual(set(datapath.ALL), set(model_vrouter.DATAPATHS))

    @ddt.named_data(*(VRouterVIFs + tuple(
        (name, vif, None) for name, vif in OTHER_VIFS)))
    def test_is_vrouter_vif_is_the_librarys(self, vif, _datapath):
        self.assertEqual(os_vif_translate.is_vrouter_vif(vif),
                         model_vrouter.is_vrouter_vif(vif))

    def test_vnic_types(self):
        for vnic_type in model_vrouter.VROUTER_VNIC_TYPES:
            vif = _vif(type=model.VIF_TYPE_VROUTER, vnic_type=vnic_type)
            self.assertIsNotNone(model_vrouter.get_datapath(vif))

    @ddt.data(model.VNIC_TYPE_MACVTAP, model.VNIC_TYPE_DIRECT_PHYSICAL,
              model.VNIC_TYPE_BAREMETAL, model.VNIC_TYPE_VDPA,
              model.VNIC_TYPE_ACCELERATOR_DIRECT,
              model.VNIC_TYPE_ACCELERATOR_DIRECT_PHYSICAL,
              model.VNIC_TYPE_REMOTE_MANAGED)
    def test_unsupported_vnic_type(self, vnic_type):
        vif = _vif(type=model.VIF_TYPE_VROUTER, vnic_type=vnic_type)
        self.assertTrue(model_vrouter.is_vrouter_vif(vif))
        exc = self.assertRaises(exception.VRouterVIFInvalid,
                                model_vrouter.get_datapath, vif)
        self.assertEqual(
            "Invalid vRouter VIF: VIF %s has vnic_type %r, which the "
            "vRouter does not support (supported: direct, normal, "
            "virtio-forwarder)" % (PORT_ID, vnic_type), str(exc))
        self.assertRaises(exception.VRouterVIFInvalid,
                          model_vrouter.nova_to_osvif_vif, vif)


@requires_translator
class VRouterTranslationTestCase(test.NoDBTestCase):

    def test_nova_to_osvif_vif(self):
        obj = model_vrouter.nova_to_osvif_vif(
            _vif(type=model.VIF_TYPE_VROUTER))
        self.assertIsInstance(obj, osv_vif.VIFGeneric)
        self.assertEqual('vrouter', obj.plugin)
        self.assertIn(obj.plugin, model_vrouter.OS_VIF_PLUGINS)

    def test_missing_socket_path_is_novas_own_error(self):
        vif = _vif(type=model.VIF_TYPE_VHOSTUSER, details={
            model.VIF_DETAILS_VHOSTUSER_VROUTER_PLUG: True})
        exc = self.assertRaises(
            exception.VifDetailsMissingVhostuserSockPath,
            model_vrouter.nova_to_osvif_vif, vif)
        self.assertIn(PORT_ID, str(exc))

    def test_invalid_mac(self):
        vif = _vif(type=model.VIF_TYPE_VROUTER)
        vif['address'] = 'fa:16:3e:4c:2c'
        exc = self.assertRaises(exception.VRouterVIFInvalid,
                                model_vrouter.nova_to_osvif_vif, vif)
        self.assertIn(PORT_ID, str(exc))
        self.assertIn("'fa:16:3e:4c:2c'", str(exc))

    def test_instance_display_name(self):
        instance = objects.Instance(
            uuid='d5b1090c-9e00-4fa4-9504-4b1494857970', id=42,
            display_name='web-1', project_id='2f37d7f6e51a4a1f8b6e')
        info = model_vrouter.nova_to_osvif_instance(instance)
        self.assertEqual('d5b1090c-9e00-4fa4-9504-4b1494857970', info.uuid)
        self.assertEqual('web-1', info.name)
        self.assertEqual('2f37d7f6e51a4a1f8b6e', info.project_id)

    def test_instance_without_display_name(self):
        instance = objects.Instance(
            uuid='d5b1090c-9e00-4fa4-9504-4b1494857970', id=42)
        info = model_vrouter.nova_to_osvif_instance(instance)
        self.assertEqual('instance-0000002a', info.name)
        self.assertNotIn('project_id', info)
