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

"""The plugin's options: where the nodes' agents, port files and domains
are.
"""

from oslo_config import cfg

vrouter_group = cfg.OptGroup(name='vrouter',
                             title='The vRouter node under test')

VRouterGroup = [
    cfg.StrOpt('nodes_file',
               help="The cloud's description of its vRouter compute "
                    "nodes (JSON: each node's host, agent URL, port "
                    "directory and libvirt URI, and the command that acts "
                    "on a node); tools/cloud up writes it."),
    cfg.StrOpt('domain_prefix', default='instance-',
               help="Nova's instance_name_template, up to the number: the "
                    "domains of this cloud."),
]
