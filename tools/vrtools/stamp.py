# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Keys of what a step was built from, and stamps that remember them.

A step (a virtualenv, the guest) is redone only when its key changes: a
digest of the files and words it was built from.  The patched Nova tree of
a release has one key wherever it is installed, tree_key(): its series
directory and the script that builds it.
"""

import hashlib
import os
import pathlib

from vrtools import layout


class Key(object):
    """A digest of files and words, in the order added."""

    def __init__(self):
        self._digest = hashlib.sha256()

    def word(self, text):
        data = str(text).encode()
        self._digest.update(b'w%d:' % len(data) + data)
        return self

    def file(self, path):
        """A file by its content; a directory by every file below it, by
        path relative to it; a missing path as missing.
        """
        path = pathlib.Path(path)
        if path.is_dir():
            for below in sorted(p for p in path.rglob('*') if p.is_file()):
                self.word(below.relative_to(path))
                self.file(below)
            return self
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self._digest.update(b'-')
            return self
        self._digest.update(b'f%d:' % len(data) + data)
        return self

    def hexdigest(self):
        return self._digest.hexdigest()


def tree_key(release):
    """The key of a release's patched Nova tree (a NovaRelease)."""
    return (Key().word(release.version).file(release.patch_dir)
            .file(layout.tools(release.top) / 'nova-tree').hexdigest())


class Stamp(object):
    """A file holding the key a step was last done with."""

    def __init__(self, path):
        self.path = pathlib.Path(path)

    def read(self):
        try:
            return self.path.read_text().strip()
        except FileNotFoundError:
            return None

    def matches(self, key):
        return self.read() == key

    def write(self, key):
        new = self.path.with_name(self.path.name + '.new')
        new.write_text(key + '\n')
        os.replace(new, self.path)
