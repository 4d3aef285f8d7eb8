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

Not the vendor's code.  By default it only says, when os-vif picks it,
that it was picked (plug and unplug raise FixturePluginUsed), so that
tools/kolla-check can tell which of two plugins of one name os-vif uses.

With ``VENDOR_FIXTURE_PORT_CONTROL`` in the environment (a command line:
the classic ``vrouter-port-control`` script as the test tree imitates it,
``os_vif_vrouter.tests.classic_port_control``), it plugs and unplugs as
the vendor's plugin does: it runs that script with the classic options,
built from the VIF and the instance as the vendor's plugin builds them
(the first IPv4 address or 0.0.0.0, the first IPv6 address or None, the
instance's name and project as os-vif's InstanceInfo has them, VLAN ids
-1), and fails when the script does.  The operations job's node that
starts on stock Nova runs it so.
"""

import os
import shlex
import subprocess

from os_vif import exception as osv_exception
from os_vif import objects
from os_vif import plugin

PORT_CONTROL = 'VENDOR_FIXTURE_PORT_CONTROL'


class FixturePluginUsed(Exception):
    pass


class PortControlFailed(osv_exception.ExceptionBase):
    msg_fmt = 'vrouter-port-control %(args)s failed: %(reason)s'


def _addresses(vif):
    ipv4, ipv6 = '0.0.0.0', None
    for subnet in vif.network.subnets:
        for fixed_ip in subnet.ips:
            if fixed_ip.address.version == 4 and ipv4 == '0.0.0.0':
                ipv4 = str(fixed_ip.address)
            elif fixed_ip.address.version == 6 and ipv6 is None:
                ipv6 = str(fixed_ip.address)
    return ipv4, ipv6


def _port_control(args):
    command = shlex.split(os.environ[PORT_CONTROL]) + args
    result = subprocess.run(command, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise PortControlFailed(
            args=' '.join(args),
            reason='exit %d: %s' % (result.returncode,
                                    result.stderr.strip()))


class VrouterPlugin(plugin.PluginBase):

    NAME = 'vrouter'

    def describe(self):
        return objects.host_info.HostPluginInfo(
            plugin_name=self.NAME,
            vif_info=[objects.host_info.HostVIFInfo(
                vif_object_name=objects.vif.VIFGeneric.__name__,
                min_version='1.0', max_version='1.0')])

    def plug(self, vif, instance_info):
        if PORT_CONTROL not in os.environ:
            raise FixturePluginUsed('%s: the vendor fixture plugin' %
                                    self.NAME)
        ipv4, ipv6 = _addresses(vif)
        _port_control([
            '--oper=add', '--uuid=%s' % vif.id,
            '--instance_uuid=%s' % instance_info.uuid,
            '--vn_uuid=%s' % vif.network.id,
            '--vm_project_uuid=%s' % instance_info.project_id,
            '--ip_address=%s' % ipv4, '--ipv6_address=%s' % ipv6,
            '--vm_name=%s' % instance_info.name, '--mac=%s' % vif.address,
            '--tap_name=%s' % vif.vif_name, '--port_type=NovaVMPort',
            '--vif_type=%s' % ('VhostUser' if isinstance(
                vif, objects.vif.VIFVHostUser) else 'Vrouter'),
            '--tx_vlan_id=-1', '--rx_vlan_id=-1'])

    def unplug(self, vif, instance_info):
        if PORT_CONTROL not in os.environ:
            raise FixturePluginUsed('%s: the vendor fixture plugin' %
                                    self.NAME)
        _port_control(['--oper=delete', '--uuid=%s' % vif.id])
