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

"""Every exception formats with the keyword arguments of its raise sites.

os-vif's ExceptionBase falls back to the raw template when formatting
fails, silently.  This test parses every ``exception.<Name>(...)`` call in
the package (tests excluded), and every ``osvt_exception.<Name>(...)``
(the translation library's errors the plugin shares), and checks each
against its class's ``msg_fmt``: the keywords are exactly the template's,
the template formats with values of the types it asks for, and every
class of the plugin is raised somewhere.
"""

import ast
import inspect
import os
import re

from os_vif_translate import exception as osvt_exception
import os_vif_vrouter
from os_vif_vrouter import exception
from os_vif_vrouter.tests import base

# The name each package's exception module is imported as.
_MODULES = {'exception': exception, 'osvt_exception': osvt_exception}

_KEY_RE = re.compile(r'%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])')
_SAMPLES = {'d': 500, 'i': 500, 'f': 1.5, 'e': 1.5, 'g': 1.5}


def _classes(module=exception):
    return {name: cls for name, cls in vars(module).items()
            if inspect.isclass(cls) and
            issubclass(cls, exception.osv_exception.ExceptionBase) and
            cls.__module__ == module.__name__}


def _own_template(cls):
    return cls.__dict__.get('msg_fmt')


def _sources():
    top = os.path.dirname(os_vif_vrouter.__file__)
    for directory, subdirs, files in os.walk(top):
        subdirs[:] = [d for d in subdirs if d not in ('tests',
                                                      '__pycache__')]
        for name in files:
            if name.endswith('.py') and name != 'exception.py':
                yield os.path.join(directory, name)


def raise_sites():
    """[(file:line, module alias, class name, keyword names, problem or
    None)]
    """
    sites = []
    for path in _sources():
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and
                    isinstance(node.func, ast.Attribute) and
                    isinstance(node.func.value, ast.Name) and
                    node.func.value.id in _MODULES):
                continue
            where = '%s:%d' % (os.path.basename(path), node.lineno)
            problem = None
            if node.args:
                problem = 'positional arguments'
            elif any(k.arg is None for k in node.keywords):
                problem = '**kwargs cannot be checked'
            names = {k.arg for k in node.keywords if k.arg is not None}
            sites.append((where, node.func.value.id, node.func.attr, names,
                          problem))
    return sites


class TestRaiseSites(base.TestCase):

    def setUp(self):
        super().setUp()
        self.classes = {alias: _classes(module)
                        for alias, module in _MODULES.items()}
        self.sites = raise_sites()

    def test_found_the_raise_sites(self):
        # Guard against the parser silently finding nothing.
        self.assertGreater(len(self.sites), 30)

    def test_every_site_matches_its_template(self):
        for where, alias, name, keywords, problem in self.sites:
            self.assertIn(name, self.classes[alias], where)
            self.assertIsNone(problem, where)
            # 'message' would be taken as the preformatted message.
            self.assertNotIn('message', keywords, where)
            template = self.classes[alias][name].msg_fmt
            expected = {key for key, _ in _KEY_RE.findall(template)}
            self.assertEqual(expected, keywords,
                             '%s: %s(%s) for %r' % (where, name,
                                                    sorted(keywords),
                                                    template))

    def test_every_template_formats(self):
        for name, cls in self.classes['exception'].items():
            template = _own_template(cls)
            if template is None:
                continue
            values = {key: _SAMPLES.get(kind, 'x<%s>' % key)
                      for key, kind in _KEY_RE.findall(template)}
            exc = cls(**values)
            self.assertNotIn('%(', exc.message, name)
            for key, value in values.items():
                if isinstance(value, str):
                    self.assertIn(value, exc.message, name)
            self.assertEqual(exc.message, exc.format_message())
            self.assertEqual(values, exc.kwargs)

    def test_every_class_is_raised_and_bases_are_not(self):
        raised = {name for _, alias, name, _, _ in self.sites
                  if alias == 'exception'}
        for name, cls in self.classes['exception'].items():
            if _own_template(cls) is None:
                self.assertNotIn(name, raised,
                                 '%s has no msg_fmt of its own' % name)
            else:
                self.assertIn(name, raised, '%s is never raised' % name)

    def test_templates_do_not_use_message(self):
        for name, cls in self.classes['exception'].items():
            template = _own_template(cls) or ''
            self.assertNotIn('%(message)', template, name)

    def test_no_class_of_the_translation_library_is_defined_again(self):
        self.assertEqual(set(), set(self.classes['exception']) &
                         set(self.classes['osvt_exception']))

    def test_plug_errors_are_os_vif_errors(self):
        self.assertTrue(issubclass(exception.VRouterPlugError,
                                   exception.osv_exception.PlugException))
        self.assertTrue(issubclass(exception.VRouterUnplugError,
                                   exception.osv_exception.UnplugException))
