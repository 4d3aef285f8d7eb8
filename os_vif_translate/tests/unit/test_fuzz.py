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

"""Property-based tests of the translator: only typed errors ever escape.

The profile is chosen with HYPOTHESIS_PROFILE: 'ci' (default, bounded so
the py3 suite stays fast) or 'long' (10,000 examples a property), e.g.::

    HYPOTHESIS_PROFILE=long tox -e py3 -- os_vif_translate.tests.unit.test_fuzz
"""

import copy
import json
import os

import hypothesis
from hypothesis import strategies as st
from oslotest import base

import os_vif_translate
from os_vif_translate import datapath
from os_vif_translate import exception
from os_vif_translate.tests.unit import fixtures_vif as fx

hypothesis.settings.register_profile(
    'ci', max_examples=300, deadline=None, derandomize=True)
hypothesis.settings.register_profile(
    'long', max_examples=10000, deadline=None)
hypothesis.settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'ci'))

# JSON-like values of every type a field may wrongly hold.
_json = st.recursive(
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
_values = _json | _near_strings

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


class TranslatorFuzzTestCase(base.BaseTestCase):

    @hypothesis.given(legacy_vifs())
    def test_only_typed_errors_escape(self, vif):
        try:
            obj = os_vif_translate.translate(vif)
        except exception.TranslationError as exc:
            # Formatted from its kwargs, never the raw template.
            self.assertNotIn('%(', str(exc))
            return
        if obj is None:
            self.assertFalse(os_vif_translate.is_vrouter_vif(vif))
            return
        self.assertIn(os_vif_translate.datapath_of(vif), datapath.ALL)
        # A valid result is a whole os-vif object.
        obj.obj_to_primitive()

    @hypothesis.given(_json)
    def test_any_json_value(self, value):
        try:
            self.assertIsNone(os_vif_translate.translate(value))
        except exception.TranslationError:
            pass

    @hypothesis.given(legacy_vifs())
    def test_json_round_trip_is_stable(self, vif):
        # What Nova stores and reads back translates the same way.
        try:
            wire = json.loads(json.dumps(vif))
        except ValueError:
            return  # NaN and friends are not JSON Nova would store
        try:
            first = os_vif_translate.translate(vif)
        except exception.TranslationError as exc:
            self.assertRaises(type(exc), os_vif_translate.translate, wire)
            return
        second = os_vif_translate.translate(wire)
        self.assertEqual(first is None, second is None)
        if first is not None:
            self.assertEqual(first.obj_to_primitive(),
                             second.obj_to_primitive())
