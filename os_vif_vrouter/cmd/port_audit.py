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

"""vrouter-port-audit: find (and fix) vRouter port drift on one host.

Compares the vRouter interfaces of the host's libvirt domains, the port
files in the agent's directory, and the agent's registrations, and reports
every disagreement (see os_vif_vrouter.audit for the kinds).  With
--repair it fixes what it can prove is Nova's and stale
(os_vif_vrouter.repair): it adds again, from its file, a VM port the
agent lost, deletes (at the agent, and its file) a VM port no domain of
this host has, and removes temporary files killed writers left; only
files older than the grace period, checked again under the port's lock.
Everything else is reported.  Run it as root (it reads the agent's directory,
and --repair removes files there).
"""

import argparse
import json
import sys
import typing as ty
import warnings

# oslo.privsep imports eventlet, which warns on import that it is
# deprecated; a command-line tool's output is not the place for that.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

from os_vif_vrouter import agent_client  # noqa: E402
from os_vif_vrouter import audit  # noqa: E402
from os_vif_vrouter.cmd import config  # noqa: E402
from os_vif_vrouter import constants  # noqa: E402
from os_vif_vrouter import exception  # noqa: E402
from os_vif_vrouter import opts  # noqa: E402
from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter import registration  # noqa: E402
from os_vif_vrouter import repair  # noqa: E402

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_USAGE = 2
EXIT_SOURCE = 3

EPILOG = """findings:
  stale-file            a port file no domain of this host has (repaired:
                        deleted at the agent, file removed)
  unreadable-file       a port file that does not parse: plug it again
  missing-registration  a port file the agent has not registered
                        (repaired: added again from the file)
  agent-would-skip      its device does not exist now while its domain
                        runs: a kernel-mode agent starting now skips the
                        port for good
  missing-file          a domain's tap or vRouter vhost-user socket with no
                        port file: restart nova-compute or hard-reboot the
                        instance, which plug it again
  temp-leftover         a temporary file no writer renamed (repaired:
                        removed)
  agent-unreachable     registrations could not be checked
  agent-exposed         the agent's port listens on more than loopback:
                        filter it with a firewall rule

--repair repairs a VM port (type 0) only, whose file is older than the
grace period, and only if, under the port's lock, its file is still what
the audit read and its domain still absent (stale-file) or present
(missing-registration); everything else is reported with the reason.

exit codes:
  0  no drift (or all of it repaired)
  1  drift left
  2  usage error
  3  libvirt or the port directory could not be read
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='vrouter-port-audit',
        description='Compare the vRouter ports of the libvirt domains, the '
                    'agent\'s port files and its registrations on this '
                    'host; report drift, and with --repair fix what is '
                    'safe to fix. Run it as root.',
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)
    add = parser.add_argument
    add('--libvirt_uri', default='qemu:///system',
        help='libvirt connection URI (default %(default)s)')
    add('--port_json_path',
        help='directory of the port files (%s, %s)'
             % (config.describe_default('port_dir'),
                constants.DEFAULT_PORT_DIR))
    add('--agent_host',
        help='address of the agent\'s REST port API (%s, %s)'
             % (config.describe_default('agent_host'),
                constants.DEFAULT_AGENT_HOST))
    add('--agent_port', type=int,
        help='TCP port of the agent\'s REST port API (%s, %d)'
             % (config.describe_default('agent_port'),
                constants.DEFAULT_AGENT_PORT))
    add('--repair', action='store_true',
        help='fix the stale files, missing registrations and temporary '
             'leftovers it can prove are Nova\'s and stale')
    add('--grace_period', type=float, metavar='SECONDS',
        help='--repair touches only files older than this (%s, %d)'
             % (config.describe_default('repair_grace_period'),
                constants.DEFAULT_REPAIR_GRACE_PERIOD))
    add('--json', action='store_true',
        help='print one JSON object instead of text')
    config.add_arguments(parser)
    return parser


def _configure(args: argparse.Namespace) -> None:
    """Fill in what the command line left out from the configuration.

    :raises: config.ConfigError
    """
    group, args.lock_path = config.load(args)
    args.connect_timeout = group.agent_connect_timeout
    args.read_timeout = group.agent_read_timeout
    args.listener_uid = opts.listener_uid(group)
    args.sysfs_root = group.sysfs_root
    if args.grace_period is None:
        args.grace_period = group.repair_grace_period
    for name, option in (('agent_host', 'agent_host'),
                         ('agent_port', 'agent_port'),
                         ('port_json_path', 'port_dir')):
        if getattr(args, name) is None:
            setattr(args, name, getattr(group, option))


def run(args: argparse.Namespace,
        list_interfaces: ty.Callable[[], ty.List[audit.Interface]]) -> int:
    """Audit (and repair); the exit code.

    :param list_interfaces: () -> the interfaces of the host's domains,
        now: called for the audit, and again by the repair under each
        port's lock (a domain may come or go meanwhile)
    """
    try:
        _configure(args)
    except config.ConfigError as exc:
        print('vrouter-port-audit: %s' % exc, file=sys.stderr)
        return EXIT_USAGE
    try:
        interfaces = list_interfaces()
    except exception.AuditSourceError as exc:
        print('vrouter-port-audit: %s' % exc.format_message(),
              file=sys.stderr)
        return EXIT_SOURCE
    try:
        port_dir = registration.checked_port_directory(args.port_json_path)
        port_files = audit.read_port_files(port_dir)
        leftovers = audit.read_leftovers(port_dir)
    except (OSError, exception.VRouterException) as exc:
        print('vrouter-port-audit: cannot read %s: %s' % (
            args.port_json_path, exc), file=sys.stderr)
        return EXIT_SOURCE
    client = agent_client.AgentClient(
        host=args.agent_host, port=args.agent_port,
        connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
        listener_uid=args.listener_uid)
    try:
        findings = audit.audit(port_files, interfaces, client,
                               audit.devices_in(args.sysfs_root),
                               leftovers=leftovers)
        findings += audit.agent_exposure(args.agent_port)
        repaired: ty.List[audit.Finding] = []
        if args.repair:
            repaired, findings = repair.repair(
                findings, port_files, client, port_dir,
                args.lock_path, args.grace_period, list_interfaces,
                leftovers)
    finally:
        client.close()
    _report(args, port_files, interfaces, findings, repaired)
    return EXIT_DRIFT if findings else EXIT_OK


def _report(args: argparse.Namespace,
            port_files: ty.List[audit.PortFile],
            interfaces: ty.List[audit.Interface],
            findings: ty.List[audit.Finding],
            repaired: ty.List[audit.Finding]) -> None:
    if args.json:
        print(json.dumps({
            'port_files': len(port_files),
            'domain_interfaces': len(interfaces),
            'findings': [f.as_dict() for f in findings],
            'repaired': [f.as_dict() for f in repaired],
        }, indent=2, sort_keys=True))
        return
    print('%d port files, %d domain interfaces' % (len(port_files),
                                                   len(interfaces)))
    for finding in repaired:
        print('repaired  %-20s %s  %s' % (finding.kind, finding.port_id,
                                          finding.detail))
    for finding in findings:
        print('%-9s %-20s %s  %s' % (
            'left' if args.repair else 'found', finding.kind,
            finding.port_id or '-', finding.detail))
    if not findings and not repaired:
        print('no drift')


def main(argv: ty.Optional[ty.List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    # Run as root: privileged file work happens in this process.
    privsep.vif_plug.set_client_mode(False)
    return run(args, lambda: audit.libvirt_interfaces(args.libvirt_uri))


if __name__ == '__main__':
    sys.exit(main())
