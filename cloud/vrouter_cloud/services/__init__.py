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

"""The cloud's services, one module each, in the shape of devstack's lib/.

Each module knows its service's port, database, configuration files,
start and readiness: ``write_config(layout)``, ``DATABASES`` with
``sync(layout)`` where it has a schema, ``start(layout, processes)``
(which waits until the service answers).  ``vrouter_cloud.cloud`` calls
them in order; a compute node's services are the Node's
(``vrouter_cloud.node``).
"""
