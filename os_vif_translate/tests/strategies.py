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

"""hypothesis strategies for legacy Nova VIFs, valid and broken.

Shared by the translator's fuzz tests here and by the Nova driver's fuzz
tests in nova_tests/.
"""

import copy
import os

import hypothesis
from hypothesis import strategies as st

from os_vif_translate.tests.unit import fixtures_vif as fx

# 'ci': bounded and repeatable, for the suites CI runs; 'long': 10,000
# examples a property, for a fuzzing session.
hypothesis.settings.register_profile(
    'ci', max_examples=300, deadline=None, derandomize=True)
hypothesis.settings.register_profile(
    'long', max_examples=10000, deadline=None)
hypothesis.settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'ci'))

# JSON-like values of every type a field may wrongly hold.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() |
    st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) |
    st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8)

# Values close to valid ones, to get past the first checks.
_near_strings = st.sampled_from([
    fx.PORT_ID, fx.PORT_ID.upper(), fx.NETWORK_ID, fx.MAC, 'fa:16:3e:00',
    '00:00:00:00:00:00', fx.PCI_SLOT, '0000:08:08.9', fx.SOCKET,
    'relative/socket', '/' + 'x' * 200, fx.DEVNAME, 'tap/x', 'a b', '',
    'server', 'client', 'normal', 'direct', 'virtio-forwarder', 'macvtap',
    'vrouter', 'vhostuser', '10.0.0.5', 'fd00::5', '10.0.0.0/24', 'x/y',
])
_values = json_values | _near_strings

_BASES = [fx.kernel(), fx.dpdk(), fx.offload_direct(),
          fx.offload_virtio_forwarder()]

# Paths of the fields that may be replaced, deleted or added.
_PATHS = [
    ('id',), ('address',), ('type',), ('vnic_type',), ('devname',),
    ('active',), ('preserve_on_delete',), ('details',), ('profile',),
    ('network',), ('details', 'port_filter'), ('details', 'vhostuser_mode'),
    ('details', 'vhostuser_socket'), ('details', 'vhostuser_vrouter_plug'),
    ('profile', 'pci_slot'), ('network', 'id'), ('network', 'label'),
    ('network', 'bridge'), ('network', 'meta'), ('network', 'subnets'),
    ('network', 'meta', 'mtu'), ('network', 'meta', 'bridge_interface'),
    ('network', 'subnets', 0), ('network', 'subnets', 0, 'cidr'),
    ('network', 'subnets', 0, 'ips'), ('network', 'subnets', 0, 'dns'),
    ('network', 'subnets', 0, 'gateway'),
    ('network', 'subnets', 0, 'routes'),
    ('network', 'subnets', 0, 'ips', 0),
    ('network', 'subnets', 0, 'ips', 0, 'address'),
    ('network', 'subnets', 0, 'ips', 0, 'floating_ips'),
    ('network', 'subnets', 0, 'routes', 0, 'gateway'),
    ('network', 'subnets', 0, 'routes', 0, 'interface'),
]


def _mutate(vif, path, value, delete):
    node = vif
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return
    if not isinstance(node, (dict, list)):
        return
    try:
        if delete:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        pass


@st.composite
def legacy_vifs(draw):
    vif = copy.deepcopy(draw(st.sampled_from(_BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        _mutate(vif, draw(st.sampled_from(_PATHS)), draw(_values),
                draw(st.booleans()))
    return vif
