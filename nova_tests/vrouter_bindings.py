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

"""Legacy VIFs (as Nova stores them in network_info) for every vRouter
binding upstream Nova 34 handles, with the variants that change the result.

Built from os_vif_translate's own test fixtures; shared by
tools/record-upstream-os-vif (which records what unpatched Nova's
os_vif_util makes of them), tools/kolla-check and the tests in this
directory.

    python nova_tests/vrouter_bindings.py [NAME...]

prints the bindings named (every one without a name) and INSTANCE as the
JSON stock_nova_plug.py reads.
"""

import json
import sys

from os_vif_translate.tests.unit import fixtures_vif as fx

PORT_ID = fx.PORT_ID
SOCKET = fx.SOCKET


def _without_mtu(vif):
    del vif['network']['meta']['mtu']
    return vif


# name -> legacy VIF dict
BINDINGS = {
    'kernel': fx.kernel(),
    'kernel_no_mtu': _without_mtu(fx.kernel()),
    'kernel_no_filtering_inactive': fx.kernel(details={}, active=False),
    'kernel_no_subnets': fx.kernel(network=dict(fx.NETWORK, subnets=[])),
    'kernel_no_devname': fx.kernel(devname=None),
    'dpdk': fx.dpdk(),
    'dpdk_client': fx.dpdk(details=dict(fx.VHOSTUSER_DETAILS,
                                        vhostuser_mode='client')),
    'dpdk_mode_unset': fx.dpdk(details={
        'vhostuser_socket': SOCKET, 'vhostuser_vrouter_plug': True}),
    'dpdk_no_mtu': _without_mtu(fx.dpdk()),
    'dpdk_no_devname': fx.dpdk(devname=None),
    'offload_direct': fx.offload_direct(),
    'offload_direct_no_devname': fx.offload_direct(devname=None),
    'offload_virtio_forwarder': fx.offload_virtio_forwarder(),
    'offload_virtio_forwarder_no_devname': fx.offload_virtio_forwarder(
        devname=None),
}

# Bindings whose translation differs from upstream Nova 34 on purpose.
# Without a devname (Nova's Neutron API always sets one), upstream names
# the device 'nic' + port id, a name no vRouter agent or Neutron knows; we
# use 'tap' + port id, the name Nova gives every Neutron port.
DEVNAME_FALLBACK_DIFFERS = {
    name for name in BINDINGS if name.endswith('_no_devname')}
UPSTREAM_FALLBACK_DEVNAME = ('nic' + PORT_ID)[:14]
OUR_FALLBACK_DEVNAME = ('tap' + PORT_ID)[:14]

# The instance the recorded InstanceInfo was made from.
INSTANCE = {
    'uuid': 'd5b1090c-9e00-4fa4-9504-4b1494857970',
    'id': 42,
    'display_name': 'web "front" -- 1',
    'project_id': '2f37d7f6e51a4a1f8b6eb0917ffc8390',
}


def main(names):
    bindings = {name: BINDINGS[name] for name in names or BINDINGS}
    json.dump({'bindings': bindings, 'instance': INSTANCE}, sys.stdout)
    print()


if __name__ == '__main__':
    main(sys.argv[1:])
