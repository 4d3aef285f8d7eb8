# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""A throw-away repository for the tests: the files vrtools reads."""

import pathlib
import shutil
import tempfile
import unittest

NOVA_RELEASES = """\
# The Nova releases.
34.0.0

33.0.2
"""

OPENSTACK_RELEASES = """\
# series  released    nova    pythons               pins
2025.2    2025-10-01  32.2.1  3.10,3.11,3.12        -
2026.2    2026-09-30  34.0.0  3.11,3.12,3.13        SQLAlchemy==2.0.52,a==1
"""


class RepoTestCase(unittest.TestCase):
    """Each test gets self.top: patches/ and tools/ as in the repository,
    with two Nova releases and two OpenStack releases.
    """

    def setUp(self):
        super().setUp()
        self.top = pathlib.Path(tempfile.mkdtemp(prefix='vrtools-test-'))
        self.addCleanup(shutil.rmtree, self.top)
        self.write('patches/releases', NOVA_RELEASES)
        for version in ('34.0.0', '33.0.2'):
            self.write('patches/%s/nova-base' % version,
                       '# pinned\nNOVA_VERSION=%s\n'
                       'NOVA_SDIST_SHA256=%s\n' % (version, 'ab' * 32))
            self.write('patches/%s/series' % version, '0001-a.patch\n')
            self.write('patches/%s/0001-a.patch' % version, 'a patch\n')
        self.write('tools/openstack-releases', OPENSTACK_RELEASES)
        self.write('tools/constraints.txt', 'a==1\n')
        self.write('tools/nova-tree', '#!/bin/bash\n')

    def write(self, path, text):
        path = self.top / path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path
