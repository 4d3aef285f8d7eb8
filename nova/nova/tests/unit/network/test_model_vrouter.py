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


def _vif(**kwargs):
    return model.VIF(
        id=PORT_ID, address='fa:16:3e:4c:2c:30',
        network=model.Network(id='b82c1929-051e-481d-8110-4669916c7915',
                              subnets=[]),
        devname='tapdc065497-3c', **kwargs)


@ddt.ddt
class VRouterDatapathTestCase(test.NoDBTestCase):

    @ddt.named_data(
        ('kernel', _vif(type=model.VIF_TYPE_VROUTER),
         model_vrouter.DATAPATH_KERNEL),
        ('dpdk', _vif(type=model.VIF_TYPE_VHOSTUSER,
                      details=VHOSTUSER_DETAILS),
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
    def test_vrouter_vif(self, vif, datapath):
        self.assertIn(datapath, model_vrouter.DATAPATHS)
        self.assertTrue(model_vrouter.is_vrouter_vif(vif))
        self.assertEqual(datapath, model_vrouter.get_datapath(vif))

    @ddt.named_data(
        ('ovs', _vif(type=model.VIF_TYPE_OVS)),
        ('vhostuser_ovs', _vif(type=model.VIF_TYPE_VHOSTUSER, details={
            model.VIF_DETAILS_VHOSTUSER_OVS_PLUG: True,
            model.VIF_DETAILS_VHOSTUSER_SOCKET: SOCKET})),
        ('hw_veb', _vif(type=model.VIF_TYPE_HW_VEB,
                        vnic_type=model.VNIC_TYPE_DIRECT)),
        ('no_type', _vif(type=None)),
    )
    def test_other_vif(self, vif):
        self.assertFalse(model_vrouter.is_vrouter_vif(vif))
        self.assertIsNone(model_vrouter.get_datapath(vif))
        self.assertIsNone(model_vrouter.nova_to_osvif_vif(vif))

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
