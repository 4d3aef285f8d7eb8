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

The hypothesis profile is chosen with HYPOTHESIS_PROFILE (see
os_vif_translate.tests.strategies): 'ci' by default, 'long' for 10,000
examples a property, e.g.::

    HYPOTHESIS_PROFILE=long tox -e py3 -- os_vif_translate.tests.unit.test_fuzz
"""

import json

import hypothesis
from oslotest import base

import os_vif_translate
from os_vif_translate import datapath
from os_vif_translate import exception
from os_vif_translate.tests import strategies


class TranslatorFuzzTestCase(base.BaseTestCase):

    @hypothesis.given(strategies.legacy_vifs())
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

    @hypothesis.given(strategies.json_values)
    def test_any_json_value(self, value):
        try:
            self.assertIsNone(os_vif_translate.translate(value))
        except exception.TranslationError:
            pass

    @hypothesis.given(strategies.legacy_vifs())
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
