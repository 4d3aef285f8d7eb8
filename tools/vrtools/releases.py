# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""The two release lists, and which constraints go with a release.

``patches/releases``
    The Nova releases the series is kept for, one a line, the default
    release first.  Each has ``patches/<release>/nova-base``: shell
    assignments ``NOVA_VERSION=`` and ``NOVA_SDIST_SHA256=`` pinning the
    PyPI sdist.
``tools/openstack-releases``
    The OpenStack releases the plugin supports, oldest first, one a line:
    series, release date, stock Nova, Pythons (comma-separated), pins
    (comma-separated, or ``-``).

Both: ``#`` starts a comment line, blank lines do not count.
"""

import dataclasses
import pathlib
import typing

from vrtools import layout


class ReleaseError(Exception):
    """A release that the lists do not have, or a list that is wrong."""


def _lines(path):
    """The lines of a release list that are not comments or blank."""
    with open(path) as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


@dataclasses.dataclass(frozen=True)
class NovaRelease:
    """One Nova release of patches/releases.

    :ivar version: the release, as on PyPI ('34.0.0')
    :ivar sdist_sha256: the sha256 its nova-base pins
    :ivar is_default: the first of the list
    :ivar top: the repository
    """

    version: str
    sdist_sha256: str
    is_default: bool
    top: pathlib.Path

    @property
    def patch_dir(self):
        return self.top / 'patches' / self.version

    @property
    def tree(self):
        """The tree tools/nova-tree builds by default."""
        name = 'tree' if self.is_default else 'tree-' + self.version
        return self.top / '.nova-build' / name

    @property
    def constraints(self):
        """tools/constraints-<release>.txt if there is one, else those of
        the OpenStack release whose stock Nova this is, else
        tools/constraints.txt.
        """
        tools = layout.tools(self.top)
        own = tools / ('constraints-%s.txt' % self.version)
        if own.is_file():
            return own
        return self.series_constraints or tools / 'constraints.txt'

    @property
    def series_constraints(self):
        """The constraints of the OpenStack release whose stock Nova this
        is, or None.
        """
        for series in openstack_releases(self.top):
            if series.nova == self.version and series.constraints.is_file():
                return series.constraints
        return None


def nova_releases(top=layout.TOP):
    """The releases of patches/releases, the default first."""
    releases = _lines(pathlib.Path(top) / 'patches' / 'releases')
    if not releases:
        raise ReleaseError('patches/releases lists no release')
    return releases


def _nova_base(path):
    """The assignments of a nova-base file, as a dict."""
    values = {}
    for line in _lines(path):
        name, equals, value = line.partition('=')
        if not equals:
            raise ReleaseError('%s: not an assignment: %s' % (path, line))
        values[name] = value
    return values


def nova_release(version=None, top=layout.TOP):
    """One release of patches/releases (None or '': the default).

    :raises: ReleaseError if the list does not have it, or its nova-base
        pins another version
    """
    top = pathlib.Path(top)
    releases = nova_releases(top)
    version = version or releases[0]
    if version not in releases:
        raise ReleaseError('no series for nova %s (patches/releases has: '
                           '%s)' % (version, ' '.join(releases)))
    base_path = top / 'patches' / version / 'nova-base'
    base = _nova_base(base_path)
    if base.get('NOVA_VERSION') != version:
        raise ReleaseError('%s pins nova %s, not %s' % (
            base_path, base.get('NOVA_VERSION'), version))
    if not base.get('NOVA_SDIST_SHA256'):
        raise ReleaseError('%s pins no NOVA_SDIST_SHA256' % base_path)
    return NovaRelease(version=version,
                       sdist_sha256=base['NOVA_SDIST_SHA256'],
                       is_default=version == releases[0], top=top)


@dataclasses.dataclass(frozen=True)
class OpenStackRelease:
    """One line of tools/openstack-releases.

    :ivar series: '2024.1'
    :ivar released: its coordinated release date, 'YYYY-MM-DD'
    :ivar nova: the stock Nova release operators run on it
    :ivar pythons: the Pythons that Nova declares ('3.9', ...)
    :ivar pins: OpenStack's own pins a date cut-off gets wrong
    """

    series: str
    released: str
    nova: str
    pythons: typing.Tuple[str, ...]
    pins: typing.Tuple[str, ...]
    top: pathlib.Path

    @property
    def constraints(self):
        """Its reconstructed constraints, tools/constraints-<series>.txt."""
        return layout.tools(self.top) / ('constraints-%s.txt' % self.series)


def openstack_releases(top=layout.TOP):
    """The releases of tools/openstack-releases, oldest first."""
    top = pathlib.Path(top)
    path = layout.tools(top) / 'openstack-releases'
    releases = []
    for line in _lines(path):
        fields = line.split()
        if len(fields) != 5:
            raise ReleaseError('%s: five fields expected: %s' % (path, line))
        series, released, nova, pythons, pins = fields
        releases.append(OpenStackRelease(
            series=series, released=released, nova=nova,
            pythons=tuple(pythons.split(',')),
            pins=() if pins == '-' else tuple(pins.split(',')), top=top))
    if not releases:
        raise ReleaseError('%s lists no release' % path)
    return releases


def openstack_release(series, top=layout.TOP):
    """One line of tools/openstack-releases, by series.

    :raises: ReleaseError if the list does not have it
    """
    releases = openstack_releases(top)
    for release in releases:
        if release.series == series:
            return release
    raise ReleaseError('no series %s (tools/openstack-releases has: %s)' % (
        series, ' '.join(r.series for r in releases)))
