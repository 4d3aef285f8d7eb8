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

"""Processes that work on the same ports as nova-compute, for tests.

Each actor is a process of its own, as on a host: the plugin (as
nova-compute runs it), ``vrouter-port-control`` and
``vrouter-port-audit --repair``, all reading one configuration file (the
agent, the port directory, ``[oslo_concurrency] lock_path``)::

    python -m os_vif_vrouter.tests.actors plug|cli|audit \\
        --config-file FILE --ports ID[,ID...] [--rounds N] [--seed N]
        [--only add|delete]

plug
    plugs or unplugs each port through the plugin, at random (``--only``:
    plugs, or unplugs, only);
cli
    ``vrouter-port-control --oper=add`` or ``--oper=delete`` the same way;
audit
    ``vrouter-port-audit --repair --grace_period 0`` on a host without
    domains (every port file is stale to it), once per round.

Each prints one line of JSON, ``{"untyped": [...], "operations": N,
"failed": N}``: the errors that were not the tools' typed errors or exit
codes, and how many operations failed with a typed error or exit code.
"""

import argparse
import contextlib
import io
import json
import random
import sys
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

from os_vif import exception as osv_exception  # noqa: E402
from oslo_config import cfg  # noqa: E402

from os_vif_vrouter.cmd import port_audit  # noqa: E402
from os_vif_vrouter.cmd import port_control  # noqa: E402
from os_vif_vrouter import opts  # noqa: E402
from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter.tests import vifs  # noqa: E402
from os_vif_vrouter import vrouter  # noqa: E402


ADD = 'add'
DELETE = 'delete'


def _cli_add_argv(config_file, vif):
    info = vifs.instance_info()
    return ['--oper=add', '--uuid=' + vif.id,
            '--instance_uuid=' + info.uuid, '--vn_uuid=' + vifs.NETWORK,
            '--vm_project_uuid=' + vifs.PROJECT_HEX,
            '--ip_address=10.0.0.5', '--ipv6_address=None',
            '--vm_name=' + info.name, '--mac=' + vif.address,
            '--tap_name=' + vif.vif_name, '--config-file=' + config_file]


def plug(config_file, ports, rounds, rng, only):
    opts.register_opts(cfg.CONF)
    cfg.CONF(['--config-file', config_file], project='nova')
    plugin = vrouter.VRouterPlugin.load('vrouter')
    info = vifs.instance_info()
    untyped, count, failed = [], 0, 0
    for _ in range(rounds):
        for port_id in rng.sample(ports, len(ports)):
            vif = vifs.kernel(port_id=port_id, ips=('10.0.0.5',))
            add = only == ADD if only else rng.random() < 0.5
            operation = plugin.plug if add else plugin.unplug
            count += 1
            try:
                operation(vif, info)
            except (osv_exception.PlugException,
                    osv_exception.UnplugException):
                failed += 1
            except Exception as exc:
                untyped.append('%s: %s' % (type(exc).__name__, exc))
    return untyped, count, failed


def cli(config_file, ports, rounds, rng, only):
    untyped, count, failed = [], 0, 0
    for _ in range(rounds):
        for port_id in rng.sample(ports, len(ports)):
            vif = vifs.kernel(port_id=port_id, ips=('10.0.0.5',))
            if (only == ADD if only else rng.random() < 0.5):
                argv = _cli_add_argv(config_file, vif)
            else:
                argv = ['--oper=delete', '--uuid=' + port_id,
                        '--config-file=' + config_file]
            count += 1
            code = _quietly(port_control.main, argv)
            if code not in range(7):
                untyped.append('exit code %r' % (code,))
            elif code:
                failed += 1
    return untyped, count, failed


def audit(config_file, ports, rounds, rng, only=None):
    untyped, count, failed = [], 0, 0
    parser = port_audit.build_parser()
    for _ in range(rounds):
        args = parser.parse_args(['--repair', '--json', '--grace_period',
                                  '0', '--config-file', config_file])
        count += 1
        code = _quietly(port_audit.run, args, [])
        if code not in (port_audit.EXIT_OK, port_audit.EXIT_DRIFT):
            untyped.append('exit code %r' % (code,))
        elif code:
            failed += 1
    return untyped, count, failed


def _quietly(function, *args):
    """function(*args); its output is not ours to print."""
    with contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        try:
            return function(*args)
        except Exception as exc:
            return '%s: %s' % (type(exc).__name__, exc)


ACTORS = {'plug': plug, 'cli': cli, 'audit': audit}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('actor', choices=sorted(ACTORS))
    parser.add_argument('--config-file', required=True)
    parser.add_argument('--ports', required=True)
    parser.add_argument('--rounds', type=int, default=10)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--only', choices=(ADD, DELETE))
    args = parser.parse_args(argv)
    # As root, like the CLIs: the privileged file work runs here.
    privsep.vif_plug.set_client_mode(False)
    untyped, count, failed = ACTORS[args.actor](
        args.config_file, args.ports.split(','), args.rounds,
        random.Random(args.seed), args.only)
    print(json.dumps({'untyped': untyped, 'operations': count,
                      'failed': failed}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
