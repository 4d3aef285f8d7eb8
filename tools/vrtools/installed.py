# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""What an environment has of this distribution, asked from inside it.

Run with the environment's interpreter (``ENV/bin/python tools/vrtools
installed ...``): nothing of this checkout's packages is then on the path,
only what the environment installed.
"""

import importlib.metadata
import importlib.util
import sys

PLUGINS = ('contrail_vrouter', 'vrouter')


class NotAsExpected(Exception):
    pass


def os_vif_entry_points():
    """The names of the os_vif entry points, one per distribution that
    declares it (a name twice: two distributions claim it).
    """
    return sorted(entry.name
                  for dist in importlib.metadata.distributions()
                  for entry in dist.entry_points
                  if entry.group == 'os_vif')


def absent():
    """Nova's environment without this distribution (the nova job's
    step 4): no os_vif_translate, no vRouter os-vif plugin.
    """
    if importlib.util.find_spec('os_vif_translate') is not None:
        raise NotAsExpected('os_vif_translate is installed in %s'
                            % sys.prefix)
    plugins = os_vif_entry_points()
    if set(plugins) & set(PLUGINS):
        raise NotAsExpected('vRouter os-vif plugins in %s: %s'
                            % (sys.prefix, ', '.join(plugins)))
    return 'Nova installed without os-vif-vrouter; os-vif plugins: %s' % (
        ', '.join(plugins))


def wheel(wheel_name):
    """The wheel installed alone (tools/package-check): os-vif loads both
    plugins, Nova is neither required nor installed.
    """
    import os_vif

    import os_vif_vrouter

    dist = importlib.metadata.distribution('os-vif-vrouter')
    requires = sorted(r.split(' ')[0].split('>')[0]
                      for r in dist.requires or [] if 'extra ==' not in r)
    if 'os-vif' not in requires:
        raise NotAsExpected('os-vif is not required: %s' % requires)
    if any(r.lower() == 'nova' for r in requires):
        raise NotAsExpected('nova is required: %s' % requires)
    if importlib.util.find_spec('nova') is not None:
        raise NotAsExpected('nova is installed')
    if not os_vif_vrouter.__file__.startswith(sys.prefix):
        raise NotAsExpected('os_vif_vrouter comes from %s, not from %s' % (
            os_vif_vrouter.__file__, sys.prefix))
    names = sorted(entry.name for entry in dist.entry_points
                   if entry.group == 'os_vif')
    if names != list(PLUGINS):
        raise NotAsExpected('os_vif entry points: %s' % names)
    os_vif.initialize(reset=True)
    loaded = sorted(p.plugin_name for p in os_vif.host_info().plugin_info)
    if not set(PLUGINS) <= set(loaded):
        raise NotAsExpected('os-vif loads only %s' % loaded)
    return '%s installs without Nova; os-vif loads %s; requires %s' % (
        wheel_name, ', '.join(loaded), ', '.join(requires))
