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

"""Nova instance -> os-vif ``InstanceInfo`` for the vRouter plugin."""

import collections.abc
import typing as ty

from os_vif.objects import instance_info as osv_instance_info


def _field(instance: ty.Any, name: str) -> ty.Any:
    """Read a field without making a Nova object lazy-load it."""
    if isinstance(instance, collections.abc.Mapping):
        return instance.get(name)
    # A Nova object lazy-loads an unset field from the database; 'name' is
    # a property, not a field, and is always computed.
    if name in getattr(instance, 'fields', ()) and not (
            instance.obj_attr_is_set(name)):
        return None
    return getattr(instance, name, None)


def instance_info(instance: ty.Any) -> ty.Any:
    """Build the InstanceInfo the vRouter plugin receives.

    The vRouter agent makes DNS records from the instance's display name,
    and os-vif 5.3's InstanceInfo has no field for it.  So the display name
    travels in InstanceInfo.name: this function sets name to
    instance.display_name (instance.name, 'instance-0000xxxx', only
    when the display name is unset or empty), Nova's vRouter driver passes
    the object to os_vif.plug/os_vif.unplug, and the plugin sends
    InstanceInfo.name as the display-name of the port, in its REST
    request and in the port file the agent replays.  uuid and
    project_id are the instance's, unchanged.

    :param instance: a nova.objects.Instance, or a mapping with the keys
        'uuid', 'name', 'display_name' and 'project_id'
    :returns: os_vif.osv_instance_info.InstanceInfo
    """
    info = osv_instance_info.InstanceInfo(uuid=_field(instance, 'uuid'))
    name = _field(instance, 'display_name') or _field(instance, 'name')
    if name is not None:
        info.name = name
    project_id = _field(instance, 'project_id')
    if project_id is not None:
        info.project_id = project_id
    return info
