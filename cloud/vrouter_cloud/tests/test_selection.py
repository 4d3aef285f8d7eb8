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

"""tools/tempest-job fails when a regex of its lists selects no test."""

import io
import os
import tempfile
from unittest import mock

import testtools

from vrouter_cloud import selection

REBUILD = ('vrouter_tempest_plugin.tests.api.test_ports.VRouterPortsTest.'
           'test_rebuild[id-4e8d2a61-7b3c-4f0a-9c5e-1a2b3c4d5e03]')
FIXED_IP = ('tempest.api.compute.servers.test_attach_interfaces.'
            'AttachInterfacesTestJSON.'
            'test_create_list_show_delete_interfaces_by_fixed_ip'
            '[id-d290c06c-f5b3-11e7-8ec8-002293781009,network]')
TEST_IDS = [REBUILD, FIXED_IP]


class SelectionTest(testtools.TestCase):

    def test_regexes_skip_comments_and_blank_lines(self):
        self.assertEqual(
            [r'^tempest\.api', r'test_rebuild\['],
            selection.regexes(['# a comment\n', '\n', '^tempest\\.api\n',
                               '  test_rebuild\\[  # the reason\n']))

    def test_a_regex_anchored_after_the_name_selects_nothing(self):
        self.assertEqual(
            [r'VRouterPortsTest\.test_(boot|rebuild)$'],
            selection.unmatched([r'VRouterPortsTest\.test_(boot|rebuild)$',
                                 r'VRouterPortsTest\.test_(boot|rebuild)\['],
                                TEST_IDS))

    def test_a_regex_is_searched_not_matched(self):
        self.assertEqual([], selection.unmatched(
            ['test_create_list_show_delete_interfaces_by_fixed_ip',
             r',network\]$'], TEST_IDS))

    def _main(self, content):
        fd, path = tempfile.mkstemp()
        self.addCleanup(os.unlink, path)
        with os.fdopen(fd, 'w') as f:
            f.write(content)
        stderr = io.StringIO()
        with mock.patch('sys.stdin', io.StringIO('\n'.join(TEST_IDS))), \
                mock.patch('sys.stderr', stderr):
            rc = selection.main([path])
        return rc, stderr.getvalue(), path

    def test_main_names_each_regex_that_selects_nothing(self):
        rc, stderr, path = self._main('# the subset\n^tempest\\.api\n'
                                      'test_rebuild$\ntest_resize\n')
        self.assertEqual(1, rc)
        self.assertEqual('%s: test_rebuild$ selects no test\n'
                         '%s: test_resize selects no test\n' % (path, path),
                         stderr)

    def test_main_passes_when_every_regex_selects(self):
        self.assertEqual((0, ''), self._main('^tempest\\.api\n')[:2])

    def test_an_empty_list_passes(self):
        self.assertEqual(0, self._main('# nothing excluded\n')[0])
