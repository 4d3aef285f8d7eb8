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

"""Sphinx configuration of the os-vif-vrouter documentation.

Built by ``tox -e docs`` with warnings as errors.  The option reference
and the CLI reference are generated from the code (oslo.config's
``show-options`` directive, sphinx-argparse), so the distribution must be
installed in the building environment.
"""

import importlib.metadata

project = 'os-vif-vrouter'
author = 'The os-vif-vrouter authors'
copyright = '2026, The os-vif-vrouter authors'
release = importlib.metadata.version('os-vif-vrouter')
version = release

extensions = [
    'oslo_config.sphinxext',
    'sphinxarg.ext',
]

root_doc = 'index'
exclude_patterns = []
pygments_style = 'sphinx'
html_theme = 'alabaster'
html_theme_options = {
    'description': 'Tungsten Fabric / OpenSDN vRouter support for '
                   'OpenStack Nova',
    'fixed_sidebar': True,
}
html_static_path = []

# Links to the repository's files are literal paths: the documentation is
# read beside the repository, or built from it.
nitpicky = False
