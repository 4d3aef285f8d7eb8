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

"""Translate legacy Nova VIFs for the vRouter into os-vif objects.

A pure library: it imports os-vif and the standard library only, and does
no I/O.  Nova's ``os_vif_util`` and libvirt vRouter driver call it, so that
there is one translation for every path.
"""

from os_vif_translate.instance import instance_info  # noqa: F401
from os_vif_translate.translator import datapath_of  # noqa: F401
from os_vif_translate.translator import device_name_of  # noqa: F401
from os_vif_translate.translator import is_vrouter_vif  # noqa: F401
from os_vif_translate.translator import translate  # noqa: F401
