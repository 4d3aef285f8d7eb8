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

"""Port files as the classic tooling wrote them, for upgrade tests.

The classic ``vrouter-port-control`` script
(doc/source/admin/agent-port-api.rst) puts
its arguments into the JSON as given, in this key order, with
``json.dump``: ``ip6-address`` is the literal ``None`` when the caller has
no IPv6 address (the upstream os-vif plugin always passes
``--ipv6_address=None`` then, and ``--ip_address=0.0.0.0`` for no IPv4),
``vm-project-id`` is dashed only when given as 32 hex digits (else ``""``),
the MAC keeps its case, ``vhostuser-mode`` is 0 unless given (kernel
ports too), ``author`` is the script's path and ``time`` its local time.
"""

import datetime
import json

CLASSIC_AUTHOR = '/usr/bin/vrouter-port-control'
CLASSIC_TIME = str(datetime.datetime(2025, 11, 3, 14, 7, 21, 512908))


def classic_file(port_id, instance_id, vn_id, project, ip_address,
                 ipv6_address, vm_name, mac, tap_name, port_type=0,
                 vlan_id=-1, vhostuser_mode=0, when=CLASSIC_TIME):
    """The text the classic script writes for these arguments.

    :param when: its ``time`` (the script writes its local time)
    """
    project_id = ''
    if project and len(project) == 32:
        project_id = '-'.join((project[:8], project[8:12], project[12:16],
                               project[16:20], project[20:]))
    return json.dumps({
        'id': port_id,
        'instance-id': instance_id,
        'ip-address': ip_address,
        'ip6-address': ipv6_address,
        'vn-id': vn_id,
        'display-name': vm_name,
        'vm-project-id': project_id,
        'mac-address': mac,
        'system-name': tap_name,
        'type': port_type,
        'rx-vlan-id': vlan_id,
        'tx-vlan-id': vlan_id,
        'vhostuser-mode': vhostuser_mode,
        'author': CLASSIC_AUTHOR,
        'time': when,
    })


def upstream_plugin_file(vif, instance_info, vhostuser_mode=None):
    """The file of a port the upstream os-vif plugin (vif_plug_vrouter)
    plugged: it runs the classic script with the VIF's values.
    """
    ipv4, ipv6 = '0.0.0.0', None
    for subnet in vif.network.subnets:
        for fixed_ip in subnet.ips:
            if fixed_ip.address.version == 4:
                ipv4 = str(fixed_ip.address)
            else:
                ipv6 = str(fixed_ip.address)
    return classic_file(
        vif.id, instance_info.uuid, vif.network.id, instance_info.project_id,
        ipv4, str(ipv6), instance_info.name, vif.address, vif.vif_name,
        vhostuser_mode=0 if vhostuser_mode is None else vhostuser_mode)
