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

"""The plugin plugs what stock Nova hands os-vif, on every release.

nova_tests/data/upstream-os-vif-<nova>.json holds what the unmodified
os_vif_util of one Nova release made of every vRouter binding, and its
InstanceInfo (tools/record-upstream-os-vif).  Each object is rebuilt from
that primitive by the os-vif installed here and goes through os_vif.plug
and os_vif.unplug (os-vif picks the plugin by the object's plugin name,
'vrouter' or 'contrail_vrouter') into this plugin and the stand-in agent.

The plugin-<series> tox environments run this with the Python, os-vif and
oslo libraries of that OpenStack release, for its Nova
(OS_VIF_VROUTER_STOCK_NOVA); without that variable, every recording.
"""

import json
import os
import pathlib
import uuid

import os_vif
from os_vif.objects import base as osv_base
import testscenarios

from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import fake_sysfs
from os_vif_vrouter.tests.integration import test_plugin

DATA = (pathlib.Path(__file__).resolve().parents[3] / 'nova_tests' /
        'data')
STOCK_NOVA_ENV = 'OS_VIF_VROUTER_STOCK_NOVA'
# The representor the offload host's vendor map names for the recorded VF.
REPRESENTOR = 'nfp_v0.1'


def _recordings():
    """{nova version: recording} of the releases this run covers."""
    wanted = os.environ.get(STOCK_NOVA_ENV)
    found = {}
    for path in sorted(DATA.glob('upstream-os-vif-*.json')):
        record = json.loads(path.read_text())
        found[record['nova_version']] = record
    if wanted:
        if wanted not in found:
            raise RuntimeError('%s=%s: no recording %s' % (
                STOCK_NOVA_ENV, wanted,
                DATA / ('upstream-os-vif-%s.json' % wanted)))
        return {wanted: found[wanted]}
    return found


def _scenarios():
    return [('%s-%s' % (nova, name),
             {'nova_version': nova, 'binding': name,
              'primitive': vif, 'info_primitive': record['instance_info']})
            for nova, record in sorted(_recordings().items())
            for name, vif in sorted(record['vifs'].items())]


class TestStockNovaObjects(testscenarios.WithScenarios,
                           test_plugin.PluginTestCase):

    scenarios = _scenarios()

    def setUp(self):
        super().setUp()
        self.agent.start()
        os_vif.initialize(reset=True)
        self.vif = osv_base.VersionedObject.obj_from_primitive(
            self.primitive)
        self.info = osv_base.VersionedObject.obj_from_primitive(
            self.info_primitive)

    def _prepare_host(self):
        """Make the host what the recorded object expects.

        :returns: the device name the agent must get for the port
        """
        vif = self.vif
        if vif.obj_name() == 'VIFVHostUser':
            # The recorded socket is under /var/run/vrouter: keep its name,
            # in a directory of this test.  With the vRouter as the server
            # ('client' mode for QEMU) the plugin waits for the socket.
            vif.path = self.tmp.join(os.path.basename(vif.path))
            if vif.mode == 'client':
                with open(vif.path, 'w'):
                    pass
        profile = vif.port_profile if 'port_profile' in vif else None
        if profile is not None and 'datapath_offload' in profile:
            fake_sysfs.FakeSysfs(self.tmp.join('sys'))
            with open(self.tmp.join('fallback_map'), 'w') as f:
                f.write('0 %s %s 1\n' % (
                    profile.datapath_offload.representor_address,
                    REPRESENTOR))
            self.links = self.useFixture(base.FakeLinks(REPRESENTOR))
            return REPRESENTOR
        return vif.vif_name

    def test_plug_unplug_through_os_vif(self):
        self.assertIn(self.vif.plugin, ('vrouter', 'contrail_vrouter'))
        device = self._prepare_host()
        os_vif.plug(self.vif, self.info)
        registered = self.agent.ports()[self.vif.id]
        self.assertEqual(self.port_file(self.vif.id)['system-name'],
                         registered['system-name'])
        self.assertEqual(device, registered['system-name'])
        self.assertEqual(self.vif.address, registered['mac-address'])
        self.assertEqual(self.vif.network.id, registered['vn-id'])
        self.assertEqual(self.info.uuid, registered['instance-id'])
        self.assertEqual(str(uuid.UUID(self.info.project_id)),
                         registered['vm-project-id'])
        # Stock Nova's InstanceInfo.name is the libvirt domain name: the
        # agent gets it where the series gives the display name.
        self.assertEqual('instance-0000002a', self.info.name)
        self.assertEqual(self.info.name, registered['display-name'])
        self.assertEqual(self._first_ip(4) or '0.0.0.0',
                         registered['ip-address'])
        self.assertEqual(self._first_ip(6) or '::',
                         registered['ip6-address'])
        if self.vif.plugin == 'contrail_vrouter':
            self.assertEqual(1 if self.vif.mode == 'server' else 0,
                             registered['vhostuser-mode'])
        else:
            self.assertNotIn('vhostuser-mode', registered)
        if device == REPRESENTOR:
            self.assertTrue(self.links.up[REPRESENTOR])
        os_vif.unplug(self.vif, self.info)
        self.assertGone(self.vif.id)
        if device == REPRESENTOR:
            self.assertFalse(self.links.up[REPRESENTOR])

    def _first_ip(self, version):
        for subnet in self.vif.network.subnets.objects:
            for ip in subnet.ips.objects:
                if ip.address.version == version:
                    return str(ip.address)
        return None
