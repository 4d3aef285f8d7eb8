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

"""TEST FIXTURE: a plugin class under the vendor plugin's entry point.

Not the vendor's code: it only says, when os-vif picks it, that it was
picked (plug and unplug raise FixturePluginUsed), so that
tools/kolla-check can tell which of two plugins of one name os-vif uses.
"""

from os_vif import objects
from os_vif import plugin


class FixturePluginUsed(Exception):
    pass


class VrouterPlugin(plugin.PluginBase):

    NAME = 'vrouter'

    def describe(self):
        return objects.host_info.HostPluginInfo(
            plugin_name=self.NAME,
            vif_info=[objects.host_info.HostVIFInfo(
                vif_object_name=objects.vif.VIFGeneric.__name__,
                min_version='1.0', max_version='1.0')])

    def plug(self, vif, instance_info):
        raise FixturePluginUsed('%s: the vendor fixture plugin' % self.NAME)

    def unplug(self, vif, instance_info):
        raise FixturePluginUsed('%s: the vendor fixture plugin' % self.NAME)
