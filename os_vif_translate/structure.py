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

"""Typed access to the nested structure of a legacy Nova VIF.

A VIF is either a ``nova.network.model.VIF`` (a dict subclass) or the plain
dict Nova stores as JSON in ``network_info``; both are read the same way.
A missing key or a value of the wrong type becomes
:class:`os_vif_translate.exception.MalformedVIF`, never a ``KeyError`` or
``TypeError`` in the caller.
"""

import collections.abc
import typing as ty

from os_vif_translate import exception

_REQUIRED: ty.Any = object()


def require_mapping(port_id: str, value: ty.Any,
                    where: str) -> ty.Mapping[str, ty.Any]:
    if not isinstance(value, collections.abc.Mapping):
        raise exception.MalformedVIF(
            port_id=port_id,
            reason='%s must be a mapping, not %s' % (
                where, type(value).__name__))
    return value


def get(port_id: str, mapping: ty.Mapping[str, ty.Any], key: str,
        types: ty.Union[type, ty.Tuple[type, ...]], where: str,
        default: ty.Any = _REQUIRED) -> ty.Any:
    """Return mapping[key], checked to be of one of ``types``.

    :param port_id: the port id, for error messages
    :param mapping: the mapping to read
    :param key: the key to read
    :param types: a type or tuple of types the value must have; None is
        accepted only when it is one of them
    :param where: dotted path of ``mapping`` in the VIF, for messages
    :param default: returned when the key is absent or None; when not
        given, the key is required
    :raises: exception.MalformedVIF
    """
    value = mapping.get(key)
    if value is None:
        if default is not _REQUIRED:
            return default
        if key not in mapping:
            raise exception.MalformedVIF(
                port_id=port_id, reason='%s has no %r key' % (where, key))
    if not isinstance(types, tuple):
        types = (types,)
    # bool is an int subclass: a JSON true is not a number here.
    if not isinstance(value, types) or (
            isinstance(value, bool) and bool not in types):
        raise exception.MalformedVIF(
            port_id=port_id,
            reason='%s.%s must be %s, not %s' % (
                where, key, ' or '.join(t.__name__ for t in types),
                type(value).__name__))
    return value


def get_list(port_id: str, mapping: ty.Mapping[str, ty.Any], key: str,
             where: str) -> ty.Any:
    """Return mapping[key] as a list (absent or None gives [])."""
    return get(port_id, mapping, key, (list, tuple), where, default=[])


def get_mapping(port_id: str, mapping: ty.Mapping[str, ty.Any], key: str,
                where: str, default: ty.Any = _REQUIRED) -> ty.Any:
    return get(port_id, mapping, key, collections.abc.Mapping, where,
               default=default)
