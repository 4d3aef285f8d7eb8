# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Nova's sdists from PyPI, downloaded once into .nova-build/cache."""

import hashlib
import pathlib
import subprocess
import sys

from vrtools import layout


class SdistError(Exception):
    pass


def cache_dir(top=layout.TOP):
    return pathlib.Path(top) / '.nova-build' / 'cache'


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def nova(version, sha256=None, top=layout.TOP):
    """The path of nova-VERSION.tar.gz, downloaded if missing.

    :param sha256: what the file must hash to, if known
    :raises: SdistError if it cannot be had or does not match
    """
    cache = cache_dir(top)
    path = cache / ('nova-%s.tar.gz' % version)
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        print('nova-sdist: downloading nova %s sdist from PyPI' % version,
              file=sys.stderr)
        result = subprocess.run(
            [sys.executable, '-m', 'pip', 'download', '--quiet',
             '--disable-pip-version-check', '--no-deps',
             '--no-binary', ':all:', '--dest', str(cache),
             'nova==%s' % version], check=False)
        if result.returncode != 0 or not path.is_file():
            raise SdistError('cannot download nova %s from PyPI' % version)
    if sha256 is not None and sha256_of(path) != sha256:
        raise SdistError('%s does not have the sha256 its nova-base pins '
                         '(%s)' % (path, sha256))
    return path
