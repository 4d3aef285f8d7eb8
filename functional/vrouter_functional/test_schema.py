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

"""Every vRouter binding's interface, as this host's libvirt takes it.

nova_tests/test_domain_schema validates the interfaces of every binding
against the schema of the host the nova job runs on.  Here each
generation's libvirt (9.0 with ``tox -e functional``, 11.3 with ``tox -e
functional-backports``) validates them against its own schema and
defines them (``VIR_DOMAIN_DEFINE_VALIDATE``: the schema, then its QEMU
driver's own checks), for KVM's and TCG's interface, with and without
multiqueue.  Starting them is the other scenarios' job.
"""

import copy
import importlib.util
import os

import libvirt
from lxml import etree

from nova.network import model as network_model

from vrouter_functional import base
from vrouter_functional import nova_guest


def _load_bindings():
    """nova_tests/vrouter_bindings.py: the bindings the nova job checks."""
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'nova_tests',
                        'vrouter_bindings.py')
    spec = importlib.util.spec_from_file_location('vrouter_bindings', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BINDINGS


BINDINGS = _load_bindings()


class BindingSchemaTest(base.FunctionalTestCase):

    def _domain(self, instance, interface):
        # The rest of the guest as on this host (TCG): only the interface
        # changes between KVM's and TCG's config.
        guest = instance.tcg_guest('/nonexistent/vmlinuz')
        # What vhost-user needs (libvirt 11 checks it at define), harmless
        # for the other interfaces.
        guest.membacking = nova_guest.shared_memory_backing()
        guest.add_device(interface)
        return guest.format_dom()

    def test_every_binding_validates_and_defines(self):
        self.conf.set_override('rx_queue_size', 512, group='libvirt')
        self.conf.set_override('tx_queue_size', 512, group='libvirt')
        checked = []
        for name, legacy in sorted(BINDINGS.items()):
            for multiqueue in (False, True):
                for virt_type in ('kvm', 'qemu'):
                    instance = nova_guest.Instance(
                        'schema check', vcpus=2, extra_specs={
                            'hw:vif_multiqueue_enabled':
                                str(multiqueue).lower()})
                    vif = network_model.VIF.hydrate(copy.deepcopy(legacy))
                    interface = instance.driver.get_config(
                        instance.instance, vif, instance.image_meta,
                        instance.flavor, virt_type)
                    domain = self._domain(instance, interface)
                    what = '%s (multiqueue=%s, %s)' % (name, multiqueue,
                                                       virt_type)
                    self.libvirt.validate(domain)
                    try:
                        defined = self.libvirt.conn.defineXMLFlags(
                            etree.tostring(domain, encoding='unicode'),
                            libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
                    except libvirt.libvirtError as exc:
                        self.fail('libvirt refuses %s: %s' % (what, exc))
                    defined.undefine()
                    checked.append(what)
        self.assertEqual(len(BINDINGS) * 4, len(checked))
