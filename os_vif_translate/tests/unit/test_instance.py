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

from oslotest import base

import os_vif_translate

INSTANCE_UUID = 'd5b1090c-9e00-4fa4-9504-4b1494857970'
PROJECT_ID = '2f37d7f6e51a4a1f8b6eb0917ffc8390'


class FakeVersionedInstance(object):
    """Behaves as a Nova object: reading an unset field would lazy-load."""

    fields = ('uuid', 'display_name', 'project_id')

    def __init__(self, name=None, **values):
        self._values = values
        self._name = name

    @property
    def name(self):
        # A property computed from other fields, as Instance.name is.
        return self._name

    def obj_attr_is_set(self, name):
        return name in self._values

    def __getattr__(self, name):
        try:
            return self.__dict__['_values'][name]
        except KeyError:
            raise AssertionError('lazy-load of %s attempted' % name)


class InstanceInfoTestCase(base.BaseTestCase):

    def test_display_name_travels_in_name(self):
        info = os_vif_translate.instance_info(FakeVersionedInstance(
            uuid=INSTANCE_UUID, name='instance-0000002a',
            display_name='web "front" -- 1\n', project_id=PROJECT_ID))
        self.assertEqual(INSTANCE_UUID, info.uuid)
        self.assertEqual('web "front" -- 1\n', info.name)
        self.assertEqual(PROJECT_ID, info.project_id)

    def test_name_when_no_display_name(self):
        for display_name in (None, ''):
            info = os_vif_translate.instance_info(dict(
                uuid=INSTANCE_UUID, name='instance-0000002a',
                display_name=display_name, project_id=PROJECT_ID))
            self.assertEqual('instance-0000002a', info.name)

    def test_unset_fields_are_not_loaded(self):
        info = os_vif_translate.instance_info(
            FakeVersionedInstance(uuid=INSTANCE_UUID))
        self.assertEqual(INSTANCE_UUID, info.uuid)
        self.assertNotIn('name', info)
        self.assertNotIn('project_id', info)

    def test_name_property_when_display_name_unset(self):
        info = os_vif_translate.instance_info(FakeVersionedInstance(
            uuid=INSTANCE_UUID, name='instance-0000002a'))
        self.assertEqual('instance-0000002a', info.name)
