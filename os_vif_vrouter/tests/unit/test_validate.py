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

from os_vif_vrouter import exception
from os_vif_vrouter.tests import base
from os_vif_vrouter import validate

PORT = '5ac0a8a5-7d5c-4e34-a5ae-6b4d2bb7cd9b'


class TestValidate(base.TestCase):

    def test_port_id(self):
        self.assertEqual(PORT, validate.port_id(PORT))
        for bad in (PORT.upper(), PORT[:-1], PORT + '\n', '../' + PORT,
                    PORT.replace('-', ''), '', None, 42,
                    '{%s}' % PORT, ' ' + PORT):
            self.assertRaises(exception.InvalidPortId, validate.port_id, bad)

    def test_uuid_refuses_nil(self):
        self.assertRaises(exception.InvalidPortData, validate.uuid, PORT,
                          validate.NIL_UUID, 'network id')
        self.assertEqual(PORT, validate.uuid(PORT, PORT, 'network id'))

    def test_project_id(self):
        self.assertEqual('', validate.project_id(PORT, None))
        self.assertEqual('', validate.project_id(PORT, ''))
        self.assertEqual('0123abcd-0123-abcd-0123-abcd0123abcd',
                         validate.project_id(
                             PORT, '0123ABCD0123abcd0123abcd0123abcd'))
        self.assertEqual('0123abcd-0123-abcd-0123-abcd0123abcd',
                         validate.project_id(
                             PORT, '0123ABCD-0123-abcd-0123-abcd0123abcd'))
        for bad in ('admin', '0123abcd' * 3, 'x' * 32, 32):
            self.assertRaises(exception.InvalidPortData,
                              validate.project_id, PORT, bad)

    def test_mac_address(self):
        self.assertEqual('fa:16:3E:00:00:01',
                         validate.mac_address(PORT, 'fa:16:3E:00:00:01'))
        for bad in ('00:00:00:00:00:00', 'fa-16-3e-00-00-01',
                    'fa:16:3e:00:00', 'fa:16:3e:00:00:01:02', 'fa16.3e00.0001',
                    'fa:16:3e:0:0:1', None):
            self.assertRaises(exception.InvalidPortData,
                              validate.mac_address, PORT, bad)

    def test_device_name(self):
        for good in ('tap5ac0a8a5-7d', 'a', 'x' * 15, 'eth0.100', 'vf-rep_1'):
            self.assertEqual(good, validate.device_name(good))
        for bad in ('', 'x' * 16, 'a/b', 'a:b', 'a b', 'a\nb', '.', '..',
                    'a\x00', None, 'é' * 8):
            self.assertRaises(exception.InvalidDeviceName,
                              validate.device_name, bad)

    def test_pci_address(self):
        self.assertEqual('0000:0a:00.1',
                         validate.pci_address(PORT, '0000:0A:00.1'))
        for bad in ('0a:00.1', '0000:0a:00.8', '0000:0a:20.1', None,
                    '0000:0a:00.1/..'):
            self.assertRaises(exception.InvalidPortData,
                              validate.pci_address, PORT, bad)

    def test_port_directory(self):
        self.assertEqual('/var/lib/contrail/ports',
                         validate.port_directory('/var/lib/contrail/ports/'))
        for bad in ('', 'relative/dir', None, '/a\x00b'):
            self.assertRaises(exception.InvalidPortDirectory,
                              validate.port_directory, bad)
