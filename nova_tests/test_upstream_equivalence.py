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

"""os_vif_translate gives what unpatched Nova gave, where it should.

Runs in the patched Nova tree's environment, for each Nova release the
series is kept for.  The upstream results were recorded from pristine Nova
of that release by tools/record-upstream-os-vif and are kept in data/ (one
file a release); the patched os_vif_util must agree with os_vif_translate
(it calls it), so that there is one translation.
"""

import json
import pathlib

from nova.network import model
from nova.network import model_vrouter
from nova.network import os_vif_util
from nova import objects
from nova import test
import nova.version

import os_vif_translate
import vrouter_bindings

NOVA_VERSION = nova.version.version_string()
RECORDED = json.loads(
    (pathlib.Path(__file__).parent / 'data' /
     ('upstream-os-vif-%s.json' % NOVA_VERSION)).read_text())


def _primitive(obj):
    obj.obj_reset_changes(recursive=True)
    return obj.obj_to_primitive()


def _replace_strings(value, old, new):
    if isinstance(value, dict):
        return {k: _replace_strings(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_strings(v, old, new) for v in value]
    return new if value == old else value


class UpstreamEquivalenceTestCase(test.NoDBTestCase):

    def test_every_binding_was_recorded(self):
        self.assertEqual(NOVA_VERSION, RECORDED['nova_version'])
        self.assertEqual(sorted(vrouter_bindings.BINDINGS),
                         sorted(RECORDED['vifs']))

    def test_translation_equals_upstream(self):
        for name, binding in sorted(vrouter_bindings.BINDINGS.items()):
            expected = RECORDED['vifs'][name]
            if name in vrouter_bindings.DEVNAME_FALLBACK_DIFFERS:
                # On purpose: see DEVNAME_FALLBACK_DIFFERS.  Only the device
                # name (vif_name, representor_name) differs.
                self.assertIn(vrouter_bindings.UPSTREAM_FALLBACK_DEVNAME,
                              json.dumps(expected))
                expected = _replace_strings(
                    expected, vrouter_bindings.UPSTREAM_FALLBACK_DEVNAME,
                    vrouter_bindings.OUR_FALLBACK_DEVNAME)
            from_dict = _primitive(os_vif_translate.translate(binding))
            self.assertEqual(expected, from_dict, name)

    def test_patched_os_vif_util_is_the_same_translation(self):
        for name, binding in sorted(vrouter_bindings.BINDINGS.items()):
            vif = model.VIF.hydrate(binding)
            self.assertEqual(
                _primitive(os_vif_translate.translate(binding)),
                _primitive(os_vif_util.nova_to_osvif_vif(vif)), name)
            self.assertEqual(
                _primitive(os_vif_translate.translate(binding)),
                _primitive(model_vrouter.nova_to_osvif_vif(vif)), name)

    def test_instance_info_differs_only_by_display_name(self):
        # On purpose: the vRouter agent builds DNS records from the display
        # name, and os-vif's InstanceInfo has no field for it but 'name'.
        instance = objects.Instance(**vrouter_bindings.INSTANCE)
        expected = RECORDED['instance_info']
        expected['versioned_object.data']['name'] = (
            vrouter_bindings.INSTANCE['display_name'])
        self.assertEqual(
            expected,
            _primitive(model_vrouter.nova_to_osvif_instance(instance)))
