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

"""The patched Nova loads nothing of ours until it meets a vRouter VIF.

Runs where os-vif-vrouter is installed (the nova job's environment), each
check in a fresh interpreter, since the test process itself has imported
everything long before.  The same Nova without the package is the nova
job's step 4.
"""

import json
import subprocess
import sys
import textwrap

import testtools

# What a compute host without vRouter ports does with the patched Nova:
# load the libvirt driver and its VIF driver, and translate, configure,
# plug and unplug OVS VIFs.  Prints the modules of this distribution that
# got imported, before and after a vRouter VIF is translated.
SCRIPT = textwrap.dedent('''
    import json
    import sys
    from unittest import mock

    import os_vif.objects

    from nova.network import model
    from nova.network import os_vif_util
    from nova import objects
    from nova.virt.libvirt import driver  # noqa: F401
    from nova.virt.libvirt import vif_vrouter

    objects.register_all()
    # What os_vif.initialize() does, without loading the os-vif plugins (a
    # host without vRouter ports has no vRouter plugin to load).
    os_vif.objects.register_all()

    def ours():
        return sorted(m for m in sys.modules
                      if m.split('.')[0] in ('os_vif_translate',
                                             'os_vif_vrouter'))

    def vif(vif_type, **kwargs):
        return model.VIF(
            id='dc065497-3c8d-4f44-8fb4-e1d33c16a536',
            address='fa:16:3e:4c:2c:30', type=vif_type,
            devname='tapdc065497-3c',
            network=model.Network(
                id='b82c1929-051e-481d-8110-4669916c7915', bridge='br-int',
                subnets=[]), **kwargs)

    ovs = vif(model.VIF_TYPE_OVS)
    instance = objects.Instance(
        uuid='d5b1090c-9e00-4fa4-9504-4b1494857970', id=42)
    vif_driver = vif_vrouter.LibvirtVRouterVIFDriver()
    with mock.patch('os_vif.plug'), mock.patch('os_vif.unplug'), \\
            mock.patch.object(vif_vrouter.LOG, 'warning') as warning:
        os_vif_util.nova_to_osvif_vif(ovs)
        vif_driver.get_config(
            instance, ovs, objects.ImageMeta.from_dict({}),
            objects.Flavor(vcpus=1, extra_specs={}), 'kvm')
        vif_driver.plug(instance, ovs)
        vif_driver.unplug(instance, ovs)
        before = ours()
        os_vif_util.nova_to_osvif_vif(vif(model.VIF_TYPE_VROUTER))
        after = ours()
    print(json.dumps({'before': before, 'after': after,
                      'warnings': warning.call_count}))
''')


class LazyImportTestCase(testtools.TestCase):

    def test_nothing_of_ours_before_a_vrouter_vif(self):
        run = subprocess.run([sys.executable, '-c', SCRIPT],
                             capture_output=True, text=True, check=False)
        self.assertEqual(0, run.returncode, run.stderr)
        result = json.loads(run.stdout.splitlines()[-1])
        self.assertEqual([], result['before'])
        self.assertIn('os_vif_translate', result['after'])
        self.assertEqual(0, result['warnings'])
