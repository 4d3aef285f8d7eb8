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

"""The functional tests' base class and the checks they share."""

import os
import uuid

from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslotest import base
from testtools import content

from vrouter_functional import compute
from vrouter_functional import host
from vrouter_functional import libvirt_host
from vrouter_functional import nova_guest


class FunctionalTestCase(base.BaseTestCase):
    """Root, qemu:///system, a clean configuration: Nova's libvirt
    options set as on a compute node whose guests run under TCG.
    """

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.fail('the functional tests run as root: use '
                      'tools/functional-job (tox -e functional)')
        self.conf = self.useFixture(config_fixture.Config(cfg.CONF)).conf
        self.conf.set_override('virt_type', 'qemu', group='libvirt')
        self.libvirt = self.useFixture(libvirt_host.Libvirt())

    def compute_host(self, **kwargs):
        """A compute node (compute.ComputeHost) for this test."""
        return self.useFixture(compute.ComputeHost(**kwargs))

    def define(self, instance, ports, virt_type='qemu', shared_memory=False):
        """Validate and define the instance's guest with the interfaces
        Nova's driver makes for the ports.

        :returns: (Domain fixture, Console, QemuDir of the guest's files)
        """
        interfaces = [instance.interface(port, virt_type) for port in ports]
        guest_args = [word for port in ports for word in port.guest_args()]
        return self.define_interfaces(instance, interfaces, guest_args,
                                      shared_memory=shared_memory)

    def define_interfaces(self, instance, interfaces, guest_args,
                          shared_memory=False):
        """Validate and define the instance's guest with these interfaces
        (LibvirtConfigGuestInterface objects).
        """
        files = self.useFixture(host.QemuDir())
        guest = instance.guest(interfaces, files.path, guest_args,
                               shared_memory=shared_memory)
        domain = self.useFixture(self.libvirt.define(guest))
        console = libvirt_host.Console(instance.console_log(files.path))
        # Before the domain and its logs go: shown if the test fails.
        self.addCleanup(self._add_logs, domain, console)
        return domain, console, files

    def _add_logs(self, domain, console):
        if os.path.exists(console.path):
            self.addDetail('%s console' % domain.name,
                           content.text_content(console.tail(100)))
        if os.path.exists(domain.qemu_log):
            self.addDetail('%s QEMU log' % domain.name,
                           content.text_content(domain.qemu_log_tail(100)))

    def assertRegistered(self, compute_host, instance, port, system_name,
                         **expected):
        """The agent has the port, as Nova and the plugin describe it,
        and its port file says the same.
        """
        registered = compute_host.registration(port)
        self.assertIsNotNone(registered, 'the agent has no port %s'
                             % port.id)
        self.assertEqual(registered, compute_host.port_file(port))
        self.assertEqual(port.id, registered['id'])
        self.assertEqual(system_name, registered['system-name'])
        self.assertEqual(port.mac, registered['mac-address'])
        self.assertEqual(nova_guest.ADDRESS, registered['ip-address'])
        self.assertEqual(nova_guest.ADDRESS6, registered['ip6-address'])
        self.assertEqual(instance.instance.uuid, registered['instance-id'])
        self.assertEqual(instance.instance.display_name,
                         registered['display-name'])
        self.assertEqual(port.network_id, registered['vn-id'])
        # Keystone's project id, in the dashed form the agent wants.
        self.assertEqual(str(uuid.UUID(instance.instance.project_id)),
                         registered['vm-project-id'])
        self.assertEqual(0, registered['type'])
        for key, value in expected.items():
            self.assertEqual(value, registered[key], key)
        return registered

    def assertGuestReachesGateway(self, console, domain, path, port,
                                  queues=1):
        """The guest has the port's MAC, the network's MTU and as many
        queues as asked on eth0, and pings its gateway through the
        datapath: the gateway's namespace has learnt the guest's MAC.
        Called once the domain has started (the datapath takes the tap
        then).
        """
        path.guest_started()
        nic = console.wait_for('nic', domain)
        self.assertEqual(
            {'mac': port.mac, 'mtu': str(port.mtu), 'queues': str(queues)},
            nic.values)
        self.assertEqual(port.devname, path.wait_attached())
        ping = console.wait_for('ping', domain)
        self.assertEqual(['ok'], ping.words, console.tail())
        self.assertEqual(port.mac, path.neighbour(nova_guest.ADDRESS))

    def assertUnregistered(self, compute_host, port):
        """Neither the agent nor the port directory has the port."""
        self.assertIsNone(compute_host.registration(port))
        self.assertIsNone(compute_host.port_file(port))
        self.assertEqual([], compute_host.port_dir_names())
