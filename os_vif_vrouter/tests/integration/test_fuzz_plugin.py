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

"""Fuzzing the plugin with os-vif objects whose fields are unset.

oslo.versionedobjects raises NotImplementedError when an unset field is
read.  Whatever fields of the VIF, its network, its port profile or the
InstanceInfo are unset, plug and unplug raise only the plugin's typed
errors, and an invalid VIF is refused before anything is done: no request
reaches the agent, no port file is written, no link changes.

The hypothesis profile comes from HYPOTHESIS_PROFILE (``ci`` by default,
``long`` for a fuzzing session; os_vif_translate.tests.strategies).
"""

import os

import hypothesis
from hypothesis import strategies as st
from os_vif import exception as osv_exception

from os_vif_translate import exception as osvt_exception
from os_vif_translate.tests import strategies  # noqa: F401 (profiles)
from os_vif_vrouter import exception
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import vifs
from os_vif_vrouter import vrouter

VF = '0000:0b:00.1'
REPRESENTOR = 'eth_fuzz0'

KINDS = ('kernel', 'dpdk-qemu-server', 'dpdk-vrouter-server', 'direct',
         'virtio-forwarder')

# Where a field may be unset: (owner, field).
FIELDS = (
    ('vif', 'id'), ('vif', 'address'), ('vif', 'network'),
    ('vif', 'vif_name'), ('vif', 'mode'), ('vif', 'path'),
    ('vif', 'port_profile'), ('vif', 'dev_address'), ('vif', 'plugin'),
    ('network', 'id'), ('network', 'subnets'), ('subnet', 'ips'),
    ('fixed_ip', 'address'), ('profile', 'datapath_offload'),
    ('offload', 'representor_address'), ('offload', 'representor_name'),
    ('info', 'uuid'), ('info', 'name'), ('info', 'project_id'),
)

# What says the VIF itself is wrong: refused before any side effect.
INVALID_INPUT = (exception.InvalidPortData, osvt_exception.InvalidPortId,
                 osvt_exception.InvalidDeviceName, exception.UnsupportedVIF,
                 exception.WrongPortProfile, exception.MissingPortProfile)


class TestUnsetFields(base.TestCase):

    def setUp(self):
        super().setUp()
        self.stand_in = self.useFixture(base.StandIn())
        self.agent = self.stand_in.agent
        self.tmp = self.useFixture(base.fixtures.TempDir())
        self.socket = self.tmp.join('uvh_vif_fuzz')
        with open(self.socket, 'w'):
            pass  # the vRouter serves it
        map_path = self.tmp.join('fallback_map')
        with open(map_path, 'w') as f:
            f.write('0 %s %s 1\n' % (VF, REPRESENTOR))
        self.links = self.useFixture(base.FakeLinks(REPRESENTOR))
        self.flags(agent_port=self.agent.port,
                   port_dir=self.stand_in.port_dir,
                   vhostuser_agent_wait=1.0, vhostuser_socket_wait=0.05,
                   sysfs_root=self.tmp.join('sys'),
                   representor_map=map_path)
        self.plugins = {name: vrouter.VRouterPlugin.load(name)
                        for name in ('vrouter', 'contrail_vrouter')}
        for plugin in self.plugins.values():
            self.addCleanup(plugin.client.close)

    def make(self, kind):
        port_id = vifs.new_port_id()
        if kind == 'kernel':
            vif = vifs.kernel(port_id=port_id)
        elif kind == 'dpdk-qemu-server':
            vif = vifs.dpdk(self.socket, mode='server', port_id=port_id)
        elif kind == 'dpdk-vrouter-server':
            vif = vifs.dpdk(self.socket, mode='client', port_id=port_id)
        elif kind == 'direct':
            vif = vifs.direct(VF, port_id=port_id)
        else:
            vif = vifs.virtio_forwarder(VF, self.socket, port_id=port_id)
        return vif, vifs.instance_info()

    @staticmethod
    def owners(vif, info):
        network = vif.network
        subnet = network.subnets.objects[0]
        profile = vif.port_profile if 'port_profile' in vif else None
        offload = profile.datapath_offload if profile is not None else None
        return {'vif': vif, 'network': network, 'subnet': subnet,
                'fixed_ip': subnet.ips.objects[0], 'profile': profile,
                'offload': offload, 'info': info}

    def unset(self, vif, info, fields):
        owners = self.owners(vif, info)
        for owner, field in fields:
            obj = owners[owner]
            if obj is not None and field in obj.fields and field in obj:
                delattr(obj, field)

    def side_effects(self, port_id):
        files = sorted(os.listdir(self.stand_in.port_dir))
        return (len(self.agent.requests), files, dict(self.links.up))

    def plugin_for(self, vif):
        return self.plugins[vif.plugin if 'plugin' in vif else 'vrouter']

    @hypothesis.given(kind=st.sampled_from(KINDS),
                      fields=st.sets(st.sampled_from(FIELDS), max_size=4))
    def test_plug_with_unset_fields(self, kind, fields):
        vif, info = self.make(kind)
        port_id = vif.id
        self.unset(vif, info, fields)
        plugin = self.plugin_for(vif)
        before = self.side_effects(port_id)
        try:
            plugin.plug(vif, info)
        except exception.VRouterPlugError as exc:
            if isinstance(exc.error, INVALID_INPUT):
                self.assertEqual(before, self.side_effects(port_id),
                                 'side effect before %r' % exc.error)
        except osv_exception.ExceptionBase:
            raise
        else:
            plugin.unplug(vif, info)
        self.assertNotIn(port_id, self.agent.ports())
        self.assertNotIn(port_id, os.listdir(self.stand_in.port_dir))

    @hypothesis.given(kind=st.sampled_from(KINDS),
                      fields=st.sets(st.sampled_from(FIELDS), max_size=4))
    def test_unplug_with_unset_fields(self, kind, fields):
        vif, info = self.make(kind)
        plugin = self.plugin_for(vif)
        plugin.plug(vif, info)
        port_id = vif.id
        self.unset(vif, info, fields)
        try:
            plugin.unplug(vif, info)
        except exception.VRouterUnplugError:
            # Nova retries the unplug with a whole VIF.
            vif, _info = self.make(kind)
            vif.id = port_id
            plugin.unplug(vif, info)
        self.assertNotIn(port_id, self.agent.ports())
        self.assertNotIn(port_id, os.listdir(self.stand_in.port_dir))
