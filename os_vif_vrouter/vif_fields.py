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

"""Fields of os-vif objects that may be unset.

oslo.versionedobjects raises NotImplementedError ("Cannot load 'mode' in
the base class") when a field that was never set is read.  The plugin
reads every field through these two functions, before it does anything,
so that a VIF missing what its mode needs is a typed error naming the
port and the field, and never an untyped one after a side effect.
"""

from os_vif_vrouter import exception


def optional(obj, name):
    """The field's value, or None when it is unset."""
    return getattr(obj, name) if name in obj else None


def required(obj, name, port_id):
    """The field's value.

    :raises: InvalidPortData naming the port, the object and the field,
        when it is unset or None
    """
    value = optional(obj, name)
    if value is None:
        raise exception.InvalidPortData(
            port_id=port_id,
            reason='the %s has no %s' % (type(obj).__name__, name))
    return value


def port_id_of(vif):
    """The VIF's port id, for messages; '<unknown>' when unset."""
    return optional(vif, 'id') or '<unknown>'
