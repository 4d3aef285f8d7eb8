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

"""The vRouter interfaces, inside a whole domain, are valid libvirt XML.

Validates against the RELAX NG schemas libvirt installs (Debian package
libvirt0, /usr/share/libvirt/schemas), the same ones virt-xml-validate
uses.  Runs in the patched Nova tree's environment.
"""

import copy
import os

from lxml import etree

from nova.network import model
from nova import objects
from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import vif_vrouter

import vrouter_bindings

SCHEMA = '/usr/share/libvirt/schemas/domain.rng'


def _guest(interface, virt_type):
    guest = vconfig.LibvirtConfigGuest()
    guest.virt_type = virt_type
    guest.name = 'instance-0000002a'
    guest.uuid = vrouter_bindings.INSTANCE['uuid']
    guest.memory = 128 * 1024
    guest.vcpus = 4
    guest.os_type = 'hvm'
    guest.os_kernel = '/var/lib/nova/instances/kernel'
    guest.os_initrd = '/var/lib/nova/instances/initrd'
    guest.os_cmdline = 'console=ttyS0'
    guest.add_device(interface)
    return guest


class DomainSchemaTestCase(test.NoDBTestCase):

    def setUp(self):
        super().setUp()
        if not os.path.exists(SCHEMA):
            self.fail('%s is missing: install libvirt0 (the nova job does '
                      'it for root)' % SCHEMA)
        self.schema = etree.RelaxNG(etree.parse(SCHEMA))
        libvirt = self.useFixture(
            nova_fixtures.LibvirtFixture(stub_os_vif=False))
        libvirt.mock_uname.return_value = fakelibvirt.os_uname(
            'Linux', '', '5.10.13-200-generic', '', 'x86_64')
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.instance = objects.Instance(**vrouter_bindings.INSTANCE)

    def _flavor(self, multiqueue):
        return objects.Flavor(
            vcpus=4, memory_mb=128, extra_specs={
                'hw:vif_multiqueue_enabled': str(multiqueue).lower()})

    def _assert_valid(self, name, binding, multiqueue, virt_type):
        vif = model.VIF.hydrate(copy.deepcopy(binding))
        interface = self.driver.get_config(
            self.instance, vif, objects.ImageMeta.from_dict({}),
            self._flavor(multiqueue), virt_type)
        domain = _guest(interface, virt_type).format_dom()
        if not self.schema.validate(domain):
            self.fail('%s (multiqueue=%s, %s) is not valid libvirt XML: '
                      '%s\n%s' % (name, multiqueue, virt_type,
                                  self.schema.error_log,
                                  etree.tostring(domain, pretty_print=True,
                                                 encoding='unicode')))

    def test_every_binding(self):
        # MTU set and unset, devname given or not, each mode: every binding
        # of vrouter_bindings, with and without multiqueue, for KVM and TCG.
        self.flags(rx_queue_size=512, tx_queue_size=512, group='libvirt')
        for name, binding in sorted(vrouter_bindings.BINDINGS.items()):
            for multiqueue in (False, True):
                for virt_type in ('kvm', 'qemu'):
                    self._assert_valid(name, binding, multiqueue, virt_type)

    def test_schema_catches_a_broken_interface(self):
        # The check is not vacuous: an interface libvirt would refuse.
        interface = vconfig.LibvirtConfigGuestInterface()
        interface.net_type = 'vhostuser'
        interface.mac_addr = 'fa:16:3e:4c:2c:30'
        interface.vhostuser_type = 'unix'
        interface.vhostuser_mode = 'listen'
        interface.vhostuser_path = vrouter_bindings.SOCKET
        domain = _guest(interface, 'kvm').format_dom()
        self.assertFalse(self.schema.validate(domain))
