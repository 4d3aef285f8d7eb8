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

"""A port file against a request, by meaning (os_vif_vrouter.registration).
"""

import json

from os_vif_vrouter import exception
from os_vif_vrouter import port_request
from os_vif_vrouter import ports
from os_vif_vrouter import registration
from os_vif_vrouter.tests import base
from os_vif_vrouter.tests import classic_files
from os_vif_vrouter.tests.unit import test_ports

PORT = test_ports.PORT
INSTANCE = test_ports.INSTANCE
NETWORK = test_ports.NETWORK
PROJECT_HEX = test_ports.PROJECT_HEX
PROJECT = test_ports.PROJECT


def request(**kwargs):
    args = dict(port_id=PORT, instance_id=INSTANCE, vn_id=NETWORK,
                display_name='vm', mac='fa:16:3e:12:34:56', tap_name='tapa',
                ip_address='10.0.0.1')
    args.update(kwargs)
    return port_request.body(ports.from_cli(**args))


class TestNeedsDeleteFirst(base.TestCase):

    def setUp(self):
        super().setUp()
        self.request = request()

    def test_no_old_file(self):
        self.assertFalse(registration.needs_delete_first(None, self.request))

    def test_same_or_other_fields_changed(self):
        old = dict(self.request, **{'display-name': 'renamed',
                                    'time': 'earlier'})
        self.assertFalse(registration.needs_delete_first(old, self.request))

    def test_changed_device_ip_mac(self):
        for key, value in (('system-name', 'tapb'),
                           ('ip-address', '10.0.0.2'),
                           ('ip6-address', '2001:db8::1'),
                           ('mac-address', 'fa:16:3e:00:00:01')):
            old = dict(self.request, **{key: value})
            self.assertTrue(registration.needs_delete_first(old,
                                                            self.request),
                            key)

    def test_unreadable_old_file(self):
        self.assertTrue(registration.needs_delete_first(
            port_request.UNREADABLE, self.request))


class TestSamePort(base.TestCase):

    def setUp(self):
        super().setUp()
        self.request = request()

    def test_only_author_and_time_differ(self):
        old = dict(self.request, author='vrouter-port-control',
                   time='earlier')
        self.assertTrue(registration.same_port(old, self.request))

    def test_any_other_field_differs(self):
        for key in self.request:
            if key in ('author', 'time'):
                continue
            old = dict(self.request, **{key: 'changed'})
            self.assertFalse(registration.same_port(old, self.request), key)
        old = dict(self.request, **{'vhostuser-mode': 1})
        self.assertFalse(registration.same_port(old, self.request))

    def test_no_or_unreadable_old_file(self):
        self.assertFalse(registration.same_port(None, self.request))
        self.assertFalse(registration.same_port(port_request.UNREADABLE,
                                                self.request))


class TestClassicFiles(base.TestCase):
    """Files written by the classic tooling compare by meaning."""

    def setUp(self):
        super().setUp()
        self.request = request(display_name='vm-1', tap_name='tap5ac0a8a5-7d',
                               project=PROJECT_HEX, ip_address='10.0.0.5')

    def classic(self, **kwargs):
        args = dict(port_id=PORT, instance_id=INSTANCE, vn_id=NETWORK,
                    project=PROJECT_HEX, ip_address='10.0.0.5',
                    ipv6_address='None', vm_name='vm-1',
                    mac='fa:16:3e:12:34:56', tap_name='tap5ac0a8a5-7d')
        args.update(kwargs)
        return json.loads(classic_files.classic_file(**args))

    def assertSame(self, old, new=None):
        new = new or self.request
        self.assertFalse(registration.needs_delete_first(old, new), old)
        self.assertTrue(registration.same_port(old, new), old)

    def test_upstream_plugin_file(self):
        vif = test_ports.make_vif(ips=[('10.0.0.0/24', ['10.0.0.5'])])
        info = test_ports.make_info()
        old = json.loads(classic_files.upstream_plugin_file(vif, info))
        self.assertEqual('None', old['ip6-address'])
        self.assertEqual(0, old['vhostuser-mode'])
        self.assertSame(old, port_request.body(ports.from_vif(vif, info)))

    def test_no_ipv6_spellings(self):
        for spelling in ('None', '', '::', '0:0::0', None):
            self.assertSame(self.classic(ipv6_address=spelling))

    def test_no_ipv4_spellings(self):
        new = request(display_name='vm-1', tap_name='tap5ac0a8a5-7d',
                      project=PROJECT_HEX, ip_address=None)
        for spelling in ('0.0.0.0', '', 'None', None):
            self.assertSame(self.classic(ip_address=spelling), new)

    def test_addresses_parsed(self):
        new = request(display_name='vm-1', tap_name='tap5ac0a8a5-7d',
                      project=PROJECT_HEX, ip_address='10.0.0.5',
                      ipv6_address='2001:db8::5')
        self.assertSame(self.classic(ipv6_address='2001:0DB8:0:0::0005'),
                        new)
        old = self.classic(ipv6_address='2001:db8::6')
        self.assertTrue(registration.needs_delete_first(old, new))

    def test_mac_in_either_case(self):
        self.assertSame(self.classic(mac='FA:16:3E:12:34:56'))

    def test_project_in_either_form(self):
        old = self.classic()
        old['vm-project-id'] = PROJECT.upper()
        self.assertSame(old)
        old['vm-project-id'] = PROJECT_HEX
        self.assertSame(old)

    def test_real_changes_still_count(self):
        for key, value in (('system-name', 'tapother'),
                           ('ip-address', '10.0.0.6'),
                           ('ip6-address', '2001:db8::1'),
                           ('mac-address', 'fa:16:3e:12:34:57'),
                           ('mac-address', 'not a mac')):
            old = dict(self.classic(), **{key: value})
            self.assertTrue(registration.needs_delete_first(
                old, self.request), key)
            self.assertFalse(registration.same_port(old, self.request), key)
        # A DPDK port in the other vhost-user mode is another port.
        old = self.classic(vhostuser_mode=1)
        self.assertFalse(registration.same_port(old, self.request))


class TestPortDirectory(base.TestCase):

    def test_checked_where_it_is_configured(self):
        self.assertEqual('/var/lib/contrail/ports',
                         registration.checked_port_directory(
                             '/var/lib/contrail/ports/'))
        for bad in ('', 'relative/dir', None, '/a\x00b'):
            self.assertRaises(exception.InvalidPortDirectory,
                              registration.checked_port_directory, bad)
