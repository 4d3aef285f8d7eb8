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

"""The configuration the command-line tools share with nova-compute.

``vrouter-port-control`` and ``vrouter-port-audit`` read nova-compute's
configuration files, given as nova-compute is started
(``--config-file``, ``--config-dir``; without them, oslo.config's default
files of project ``nova``: ``/etc/nova/nova.conf`` and the like), for the
``[os_vif_vrouter]`` options (the agent, the port directory) and
``[oslo_concurrency] lock_path``: so they lock a port where nova-compute
does, and talk to the same agent about the same files.  An option given
on the command line wins over the file.
"""

import argparse
import typing as ty

from oslo_config import cfg

from os_vif_vrouter import constants
from os_vif_vrouter import locks
from os_vif_vrouter import opts


class ConfigError(Exception):
    """The configuration files could not be read, or hold a bad value."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        '--config-file', action='append', dest='config_file',
        metavar='PATH',
        help='a configuration file of nova-compute, for [os_vif_vrouter] '
             'and [oslo_concurrency] lock_path (repeat it as for '
             'nova-compute; default: /etc/nova/nova.conf and the other '
             'files oslo.config finds for nova)')
    parser.add_argument(
        '--config-dir', action='append', dest='config_dir', metavar='DIR',
        help='a directory of nova-compute configuration files, each '
             'ending in .conf (as --config-file)')


def load(args: argparse.Namespace) -> ty.Tuple[ty.Any, ty.Optional[str]]:
    """The [os_vif_vrouter] options and the lock path, from the files.

    :returns: (the [os_vif_vrouter] group of a ConfigOpts, lock_path)
    :raises: ConfigError
    """
    conf = cfg.ConfigOpts()
    group = opts.register_opts(conf)
    try:
        conf(args=[], project='nova',
             default_config_files=args.config_file,
             default_config_dirs=args.config_dir)
        # Registers [oslo_concurrency] lock_path: options registered after
        # the files are parsed still read them.
        lock_path = locks.lock_path_of(conf)
        # Values are parsed when read: read them all now.
        for opt in opts.ALL_OPTS:
            getattr(group, opt.dest)
    except (cfg.Error, ValueError, OSError) as exc:
        raise ConfigError('cannot read the configuration: %s' % exc)
    return group, lock_path


def describe_default(name: str) -> str:
    """Help text for an option whose default comes from the files."""
    return 'default: [%s] %s of the configuration' % (
        constants.CONFIG_GROUP, name)
