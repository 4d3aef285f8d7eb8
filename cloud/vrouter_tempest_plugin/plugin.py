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

"""The tempest plugin (entry point ``vrouter`` in ``tempest.test_plugins``).
"""

import os

from tempest.test_discover import plugins

from vrouter_tempest_plugin import config


class VRouterTempestPlugin(plugins.TempestPlugin):

    def load_tests(self):
        base_path = os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))
        return os.path.join(base_path, 'vrouter_tempest_plugin', 'tests'), \
            base_path

    def register_opts(self, conf):
        conf.register_group(config.vrouter_group)
        conf.register_opts(config.VRouterGroup, group=config.vrouter_group)

    def get_opt_lists(self):
        return [(config.vrouter_group.name, config.VRouterGroup)]
