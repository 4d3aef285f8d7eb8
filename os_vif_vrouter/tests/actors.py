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
        [--only add|delete] [--until FILE] [--domains ID[,ID...]]
        [--grace_period S]

plug
    plugs or unplugs each port through the plugin, at random (``--only``:
    plugs, or unplugs, only);
cli
    ``vrouter-port-control --oper=add`` or ``--oper=delete`` the same way;
audit
    ``vrouter-port-audit --repair --grace_period S`` (0 by default), once
    per round, on a host whose domains have the ports of ``--domains``
    (none by default: every port file is stale to it).

With ``--until FILE``, an actor goes on round after round until FILE
exists; then the cli actor settles, as Nova does after failures: it
repeats the last operation of each port that failed until it succeeds
(``"plugged"`` in its report lists the ports it left added).  The soak
(os_vif_vrouter/tests/soak.py) runs them so.

Each prints one line of JSON, ``{"untyped": [...], "operations": N,
"failed": N}``: the errors that were not the tools' typed errors or exit
codes, and how many operations failed with a typed error or exit code.
"""

import argparse
import contextlib
import io
import json
import os
import random
import sys
import time
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

from os_vif import exception as osv_exception  # noqa: E402
from oslo_config import cfg  # noqa: E402

from os_vif_vrouter import audit as audit_module  # noqa: E402
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


def _rounds(rounds, until):
    """Round numbers: rounds of them, or until the file until exists."""
    count = 0
    while not os.path.exists(until) if until else count < rounds:
        yield count
        count += 1


def plug(config_file, ports, rounds, rng, only, until=None, **kwargs):
    opts.register_opts(cfg.CONF)
    cfg.CONF(['--config-file', config_file], project='nova')
    plugin = vrouter.VRouterPlugin.load('vrouter')
    info = vifs.instance_info()
    untyped, count, failed = [], 0, 0
    for _ in _rounds(rounds, until):
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
    return untyped, count, failed, {}


def _cli_once(config_file, port_id, add):
    vif = vifs.kernel(port_id=port_id, ips=('10.0.0.5',))
    if add:
        argv = _cli_add_argv(config_file, vif)
    else:
        argv = ['--oper=delete', '--uuid=' + port_id,
                '--config-file=' + config_file]
    return _quietly(port_control.main, argv)


def cli(config_file, ports, rounds, rng, only, until=None, **kwargs):
    untyped, count, failed = [], 0, 0
    added = {}  # port id -> whether its last operation was an add
    pending = set()  # ports whose last operation failed
    for _ in _rounds(rounds, until):
        for port_id in rng.sample(ports, len(ports)):
            add = only == ADD if only else rng.random() < 0.5
            added[port_id] = add
            count += 1
            code = _cli_once(config_file, port_id, add)
            if code not in range(7):
                untyped.append('exit code %r' % (code,))
            elif code:
                failed += 1
                pending.add(port_id)
            else:
                pending.discard(port_id)
    if until:
        for port_id in sorted(pending):
            for _ in range(100):
                if _cli_once(config_file, port_id, added[port_id]) == 0:
                    break
                time.sleep(0.05)
            else:
                untyped.append('settling %s failed' % port_id)
    return untyped, count, failed, {
        'plugged': sorted(p for p, add in added.items() if add)}


def audit(config_file, ports, rounds, rng, only=None, until=None,
          domains=(), grace_period=0.0):
    untyped, count, failed = [], 0, 0
    parser = port_audit.build_parser()
    interfaces = [audit_module.Interface(
        domain_uuid=vifs.INSTANCE, domain_name='actor', mac=vifs.mac_of(p),
        kind='ethernet', device=vifs.tap_name(p), socket=None)
        for p in domains]
    for _ in _rounds(rounds, until):
        args = parser.parse_args(['--repair', '--json', '--grace_period',
                                  str(grace_period), '--config-file',
                                  config_file])
        count += 1
        code = _quietly(port_audit.run, args, lambda: interfaces)
        if code not in (port_audit.EXIT_OK, port_audit.EXIT_DRIFT):
            untyped.append('exit code %r' % (code,))
        elif code:
            failed += 1
    return untyped, count, failed, {}


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
    parser.add_argument('--until')
    parser.add_argument('--domains', default='')
    parser.add_argument('--grace_period', type=float, default=0.0)
    args = parser.parse_args(argv)
    # As root, like the CLIs: the privileged file work runs here.
    privsep.vif_plug.set_client_mode(False)
    untyped, count, failed, more = ACTORS[args.actor](
        args.config_file, args.ports.split(','), args.rounds,
        random.Random(args.seed), args.only, until=args.until,
        domains=[p for p in args.domains.split(',') if p],
        grace_period=args.grace_period)
    report = {'untyped': untyped, 'operations': count, 'failed': failed}
    report.update(more)
    print(json.dumps(report))
    return 0


if __name__ == '__main__':
    sys.exit(main())
