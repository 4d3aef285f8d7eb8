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

"""The classic ``vrouter-port-control`` script, as the test tree imitates it.

    python -m os_vif_vrouter.tests.classic_port_control --oper=add
        --uuid=... --instance_uuid=... --vn_uuid=... [--vm_project_uuid=...]
        [--ip_address=...] [--ipv6_address=...] [--vm_name=...] --mac=...
        --tap_name=... [--port_type=NovaVMPort] [--tx_vlan_id=-1]
        [--rx_vlan_id=-1] [--vif_type=Vrouter] [--agent_port=9091]
        [--port_json_path=/var/lib/contrail/ports]
    python -m os_vif_vrouter.tests.classic_port_control --oper=delete
        --uuid=...

NOT this distribution's ``vrouter-port-control``: a stand-in for the
script the vRouter agent's utilities install, for tests of the upgrade
from the vendor's tooling (the operations job's node that starts on
stock Nova with the vendor's plugin, ``nova_tests/vendor_fixture``, runs
it for each plug and unplug).  It does what the classic script does, with
the text ``classic_files`` writes: on add, the
port file first, in place (``classic_files.classic_file``: the literal
``None`` for no IPv6 address, the MAC as given, ``vhostuser-mode`` 0),
then the POST; an agent that does not answer is no error for a kernel
port (exit 0: the agent replays the file); an agent that refuses the
port exits 4 and leaves the file.  On delete, the DELETE (the agent
removes the file) and the file removed if still there.  Kernel ports
only: a vhost-user port exits 2.
"""

import argparse
import datetime
import http.client
import os
import sys

from os_vif_vrouter.tests import classic_files

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_AGENT_REFUSED = 4
_PORT_TYPES = {'NovaVMPort': 0, 'NameSpacePort': 1, 'ESXiPort': 2}


def _request(port, method, path, body=None):
    """The agent's status, or None when it does not answer."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    try:
        conn.request(method, path, body=body,
                     headers={'Content-Type': 'application/json'})
        answer = conn.getresponse()
        answer.read()
        return answer.status
    except OSError:
        return None
    finally:
        conn.close()


def _add(args):
    if args.vif_type != 'Vrouter':
        print('vrouter-port-control (classic stand-in): only kernel ports',
              file=sys.stderr)
        return EXIT_USAGE
    vlan_id = int(args.tx_vlan_id)
    text = classic_files.classic_file(
        args.uuid, args.instance_uuid, args.vn_uuid,
        args.vm_project_uuid, args.ip_address, args.ipv6_address,
        args.vm_name, args.mac, args.tap_name,
        port_type=_PORT_TYPES[args.port_type], vlan_id=vlan_id,
        when=str(datetime.datetime.now()))
    # The classic way: in place, before the agent is asked.
    os.makedirs(args.port_json_path, exist_ok=True)
    with open(os.path.join(args.port_json_path, args.uuid), 'w') as f:
        f.write(text)
    status = _request(args.agent_port, 'POST', '/port', text)
    if status is None or status == 200:
        return EXIT_OK
    return EXIT_AGENT_REFUSED


def _delete(args):
    _request(args.agent_port, 'DELETE', '/port/%s' % args.uuid)
    path = os.path.join(args.port_json_path, args.uuid)
    if os.path.exists(path):
        os.unlink(path)
    return EXIT_OK


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add = parser.add_argument
    add('--oper', required=True, choices=('add', 'delete'))
    add('--uuid', required=True)
    add('--instance_uuid')
    add('--vn_uuid')
    add('--vm_project_uuid', default='')
    add('--ip_address', default='0.0.0.0')
    add('--ipv6_address', default='None')
    add('--vm_name', default='')
    add('--mac')
    add('--tap_name')
    add('--port_type', default='NovaVMPort', choices=sorted(_PORT_TYPES))
    add('--tx_vlan_id', default='-1')
    add('--rx_vlan_id', default='-1')
    add('--vif_type', default='Vrouter')
    add('--agent_port', type=int, default=9091)
    add('--port_json_path', default='/var/lib/contrail/ports')
    args = parser.parse_args(argv)
    if args.oper == 'add':
        return _add(args)
    return _delete(args)


if __name__ == '__main__':
    sys.exit(main())
