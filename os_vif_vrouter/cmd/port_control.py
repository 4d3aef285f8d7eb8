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

"""vrouter-port-control: add and delete vRouter ports from the command line.

A drop-in for the classic ``vrouter-port-control`` script of the vRouter
agent (same options, same exit codes), built on the plugin's own agent
client, port checks (:func:`os_vif_vrouter.ports.from_cli`) and atomic
port files.  Like the classic
script it must run as root: it does the privileged file work in its own
process (no privsep daemon).

Differences from the classic script, all on purpose:

- the port file is written only after the agent accepted the port (or
  when the agent is down, in kernel mode), atomically; a port the agent
  refuses leaves no file behind;
- values are checked before anything is sent: a port UUID must be
  canonical lower case (it becomes a file name), addresses must parse;
  a missing --ip_address / --ipv6_address is sent as 0.0.0.0 / ::, and a
  missing VLAN id as -1 (the classic script sent null, which the agent
  refuses);
- option values are taken as given: quotes, spaces and "--" inside a
  value (``--vm_name='a "b" -- c'``) are kept, never re-split or stripped;
- a failed add undoes only what it did, as the plugin does: a new port
  is deleted again, a port the agent had before is registered again as
  its old file says (the classic script kept a port whose vhost-user
  socket never came, exit 6); with --no_persist there is no file to
  tell a new port from one the agent had, so the agent's registration
  is left as it is;
- --no_persist takes a boolean (true/false/yes/no/1/0, or no value for
  true), where the classic script took any non-empty string as true.
"""

import argparse
import contextlib
import logging
import os
import sys
import typing as ty
import warnings

# oslo.privsep imports eventlet, which warns on import that it is
# deprecated; a command-line tool's output is not the place for that.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

from os_vif_translate import validate as osvt_validate  # noqa: E402
from os_vif_vrouter import agent_client  # noqa: E402
from os_vif_vrouter import backoff  # noqa: E402
from os_vif_vrouter.cmd import config  # noqa: E402
from os_vif_vrouter import constants  # noqa: E402
from os_vif_vrouter import exception  # noqa: E402
from os_vif_vrouter import opts  # noqa: E402
from os_vif_vrouter import port_request  # noqa: E402
from os_vif_vrouter import ports  # noqa: E402
from os_vif_vrouter import privileged  # noqa: E402
from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter import registration  # noqa: E402

# Exit codes of the classic script.
EXIT_OK = 0
EXIT_BAD_ARGUMENT = 1
EXIT_USAGE = 2  # also: the agent's port did not open in time (vhost-user)
EXIT_AGENT_PORT_NOT_OPEN = 2
EXIT_NO_DPDK_NETLINK = 3
EXIT_ADD_REFUSED = 4
EXIT_AGENT_UNREACHABLE = 5
EXIT_NO_VHOSTUSER_SOCKET = 6

OPERS = ('add', 'delete', 'enable', 'disable')
PORT_TYPES = {
    'NovaVMPort': constants.PORT_TYPE_VM,
    'NameSpacePort': constants.PORT_TYPE_NAMESPACE,
    'ESXiPort': constants.PORT_TYPE_ESXI,
}
VIF_TYPE_VROUTER = 'Vrouter'
VIF_TYPE_VHOSTUSER = 'VhostUser'
VIF_TYPES = (VIF_TYPE_VROUTER, VIF_TYPE_VHOSTUSER)
_TRUE = ('true', 'yes', '1', 'on')
_FALSE = ('false', 'no', '0', 'off', '')

EPILOG = """\
exit codes:
  0  success; also an add with --vif_type=Vrouter while the agent is down
     (connection refused): the port file is written and the agent adds
     the port when it starts
  1  bad argument, or delete/enable/disable failed
  2  usage error; or, with --vif_type=VhostUser, the agent's port did not
     open within --agent_wait seconds
  3  --vif_type=VhostUser: the DPDK netlink socket did not appear within
     --socket_wait seconds
  4  the agent answered an error to the add (no port file is left)
  5  the agent could not be reached: with --vif_type=VhostUser any
     connection failure; with Vrouter, a connection that broke or timed
     out (the outcome at the agent is unknown)
  6  --vif_type=VhostUser --vhostuser_mode=0: the vRouter did not create
     the vhost-user socket within --socket_wait seconds; what the add did
     is undone, as the plugin does (a port the agent had before keeps
     its registration and port file; with --no_persist the agent's
     registration is left as it is)
"""


class _Exit(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _boolean(value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise argparse.ArgumentTypeError('expected true or false, not %r'
                                     % value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise argparse.ArgumentTypeError('expected seconds (a number >= 0), '
                                         'not %r' % value)
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='vrouter-port-control',
        description='Add, delete, enable or disable a port at the vRouter '
                    'agent and keep its port file (a drop-in for the '
                    'classic vrouter-port-control). Run it as root. Give '
                    'values as --option=value.',
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)
    add = parser.add_argument
    add('--oper', required=True, metavar='|'.join(OPERS),
        help='operation: add registers the port and writes its file; '
             'delete removes both; enable/disable set the link state of '
             'an ESXi port')
    add('--uuid', required=True,
        help='port (VMI) UUID, canonical lower case; also the port file name')
    add('--instance_uuid', help='instance (VM) UUID (add)')
    add('--vn_uuid', help='virtual network UUID (add)')
    add('--vm_project_uuid', default='',
        help='project UUID, 32 hex digits or dashed; sent dashed, or "" '
             'when not given (add)')
    add('--ip_address', help='IPv4 address; 0.0.0.0 when not given (add)')
    add('--ipv6_address',
        help='IPv6 address; :: when not given or "None" (add)')
    add('--vm_name', default='',
        help='the instance\'s display name, sent as given; the agent makes '
             'DNS records from it (add)')
    add('--mac', help='MAC address, xx:xx:xx:xx:xx:xx (add)')
    add('--tap_name',
        help='host device name: tap, or VF representor (add)')
    add('--port_type', default='NovaVMPort', metavar='|'.join(PORT_TYPES),
        help='NovaVMPort (default), NameSpacePort or ESXiPort (add)')
    add('--tx_vlan_id', default='-1',
        help='transmit VLAN id, -1 for none (default) (add)')
    add('--rx_vlan_id', default='-1',
        help='receive VLAN id, -1 for none (default) (add)')
    add('--vif_type', default=VIF_TYPE_VROUTER, metavar='|'.join(VIF_TYPES),
        help='Vrouter (kernel datapath, default) or VhostUser (DPDK) (add)')
    add('--vhostuser_socket',
        help='vhost-user socket path; required with --vif_type=VhostUser')
    add('--vhostuser_mode', default='0', metavar='0|1',
        help='0 (default): the vRouter creates the socket and QEMU '
             'connects; 1: QEMU is the server and the vRouter connects')
    add('--no_persist', type=_boolean, nargs='?', const=True, default=False,
        metavar='BOOL', help='do not read, write or remove the port file '
        '(a failed add then leaves the agent\'s registration as it is)')
    add('--agent_host',
        help='address of the agent\'s REST port API (%s, %s)'
             % (config.describe_default('agent_host'),
                constants.DEFAULT_AGENT_HOST))
    add('--agent_port',
        help='TCP port of the agent\'s REST port API (%s, %d)'
             % (config.describe_default('agent_port'),
                constants.DEFAULT_AGENT_PORT))
    add('--port_json_path',
        help='directory of the port files (%s, %s)'
             % (config.describe_default('port_dir'),
                constants.DEFAULT_PORT_DIR))
    add('--agent_timeout', type=_seconds, metavar='SECONDS',
        help='seconds to wait for each answer of the agent, 0 for no '
             'limit (%s)' % config.describe_default('agent_read_timeout'))
    add('--agent_wait', type=_seconds, metavar='SECONDS',
        help='VhostUser: seconds to wait for the agent\'s port to open '
             '(%s, %d)' % (config.describe_default('vhostuser_agent_wait'),
                           constants.CLASSIC_AGENT_WAIT))
    add('--socket_wait', type=_seconds, metavar='SECONDS',
        help='VhostUser: seconds to wait for the DPDK netlink socket, and '
             'for the vhost-user socket with --vhostuser_mode=0 (%s, %d)'
             % (config.describe_default('vhostuser_socket_wait'),
                constants.CLASSIC_SOCKET_WAIT))
    config.add_arguments(parser)
    add('--dpdk_netlink_socket', default=constants.DEFAULT_DPDK_NETLINK_SOCKET,
        help='VhostUser: the DPDK vRouter\'s netlink socket (default '
             '%(default)s)')
    add('--verbose', action='store_true', help='log what is done')
    return parser


def _int(name: str, value: ty.Any,
         choices: ty.Optional[ty.Container[int]] = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or (choices is not None and number not in choices):
        raise _Exit(EXIT_BAD_ARGUMENT,
                    'Invalid argument for %s %s' % (name, value))
    return number


def _check_choice(name: str, value: str,
                  choices: ty.Container[str]) -> None:
    if value not in choices:
        raise _Exit(EXIT_BAD_ARGUMENT,
                    'Invalid argument for %s %s' % (name, value))


def _configure(args: argparse.Namespace) -> None:
    """Fill in what the command line left out from the configuration."""
    try:
        group, args.lock_path = config.load(args)
    except config.ConfigError as exc:
        raise _Exit(EXIT_USAGE, str(exc))
    args.connect_timeout = group.agent_connect_timeout
    args.listener_uid = opts.listener_uid(group)
    for name, option in (('agent_host', 'agent_host'),
                         ('agent_port', 'agent_port'),
                         ('port_json_path', 'port_dir'),
                         ('agent_timeout', 'agent_read_timeout'),
                         ('agent_wait', 'vhostuser_agent_wait'),
                         ('socket_wait', 'vhostuser_socket_wait')):
        if getattr(args, name) is None:
            setattr(args, name, getattr(group, option))


def _registrar(args: argparse.Namespace) -> registration.Registrar:
    client = agent_client.AgentClient(
        host=args.agent_host,
        port=_int('agent_port', args.agent_port, range(1, 65536)),
        connect_timeout=args.connect_timeout,
        read_timeout=args.agent_timeout or None,
        listener_uid=args.listener_uid)
    try:
        return registration.Registrar(client, args.port_json_path,
                                      persist=not args.no_persist,
                                      lock_path=args.lock_path)
    except exception.InvalidPortDirectory as exc:
        raise _Exit(EXIT_BAD_ARGUMENT, exc.format_message())


@contextlib.contextmanager
def _locked(registrar: registration.Registrar,
            port_id: str) -> ty.Iterator[None]:
    """Hold the port's lock, shared with nova-compute and
    vrouter-port-audit, for one operation.
    """
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(registrar.port_lock(port_id))
        except exception.VRouterException as exc:
            raise _Exit(EXIT_BAD_ARGUMENT, exc.format_message())
        yield


def _port_id(args: argparse.Namespace) -> str:
    """--uuid, checked: it names the port's lock and file."""
    try:
        return osvt_validate.port_id(args.uuid)
    except exception.PLUGIN_ERRORS as exc:
        raise _Exit(EXIT_BAD_ARGUMENT, exc.format_message())


def _port(args: argparse.Namespace) -> ports.Port:
    """The port of an add, every option checked."""
    _check_choice('port_type', args.port_type, PORT_TYPES)
    _check_choice('vif_type', args.vif_type, VIF_TYPES)
    vhostuser_mode = None
    if args.vif_type == VIF_TYPE_VHOSTUSER:
        if not args.vhostuser_socket:
            raise _Exit(EXIT_BAD_ARGUMENT,
                        '--vhostuser_socket is required with '
                        '--vif_type=VhostUser')
        vhostuser_mode = _int('vhostuser_mode', args.vhostuser_mode,
                              (constants.VHOSTUSER_MODE_VROUTER_SERVER,
                               constants.VHOSTUSER_MODE_VROUTER_CLIENT))
    ipv6 = args.ipv6_address
    if ipv6 in ('', 'None'):
        # The classic script's spelling of "no IPv6 address".
        ipv6 = None
    try:
        return ports.from_cli(
            port_id=args.uuid,
            instance_id=args.instance_uuid,
            vn_id=args.vn_uuid,
            mac=args.mac,
            tap_name=args.tap_name,
            display_name=args.vm_name,
            project=args.vm_project_uuid,
            ip_address=args.ip_address or None,
            ipv6_address=ipv6,
            port_type=PORT_TYPES[args.port_type],
            rx_vlan_id=_int('rx_vlan_id', args.rx_vlan_id),
            tx_vlan_id=_int('tx_vlan_id', args.tx_vlan_id),
            vhostuser_mode=vhostuser_mode,
            vhostuser_socket=args.vhostuser_socket)
    except exception.PLUGIN_ERRORS as exc:
        raise _Exit(EXIT_BAD_ARGUMENT, exc.format_message())


def _wait_for_path(path: str, timeout: float, code: int, what: str) -> None:
    try:
        backoff.wait_for(lambda: os.path.exists(path), timeout)
    except backoff.GaveUp:
        raise _Exit(code, '%s %s did not appear within %.1f s'
                    % (what, path, timeout))


def _add(args: argparse.Namespace) -> int:
    port = _port(args)
    registrar = _registrar(args)
    if port.vhostuser is not None:
        try:
            registrar.client.wait_until_listening(args.agent_wait)
        except exception.AgentUnavailable as exc:
            raise _Exit(EXIT_AGENT_PORT_NOT_OPEN, exc.format_message())
        _wait_for_path(args.dpdk_netlink_socket, args.socket_wait,
                       EXIT_NO_DPDK_NETLINK, 'The DPDK netlink socket')
    with _locked(registrar, port.id):
        _register(args, registrar, port)
    return EXIT_OK


def _register(args: argparse.Namespace, registrar: registration.Registrar,
              port: ports.Port) -> None:
    vhostuser = port.vhostuser
    try:
        registration = registrar.register(port,
                                          agent_down_ok=vhostuser is None)
    except exception.AgentRequestFailed as exc:
        raise _Exit(EXIT_ADD_REFUSED, exc.format_message())
    except exception.AgentUnavailable as exc:
        raise _Exit(EXIT_AGENT_UNREACHABLE, exc.format_message())
    except exception.VRouterException as exc:
        raise _Exit(EXIT_BAD_ARGUMENT, exc.format_message())
    if not registration.agent_accepted:
        logging.warning('The vRouter agent is not running; port %s is in '
                        'its port file and will be added when it starts',
                        port.id)
    socket = vhostuser and vhostuser.vrouter_socket
    if socket:
        try:
            _wait_for_path(socket, args.socket_wait,
                           EXIT_NO_VHOSTUSER_SOCKET, 'The vhost-user socket')
        except _Exit:
            # As the plugin: undo what this add did (a port the agent had
            # before keeps its registration and file).
            registrar.undo(registration)
            raise


def _delete(args: argparse.Namespace, port_id: str) -> int:
    registrar = _registrar(args)
    try:
        with _locked(registrar, port_id):
            registrar.deregister(port_id)
    except exception.VRouterException as exc:
        raise _Exit(EXIT_BAD_ARGUMENT, exc.format_message())
    return EXIT_OK


def _set_link_state(args: argparse.Namespace, port_id: str,
                    enable: bool) -> int:
    """enable/disable: the agent's link state of an ESXi port."""
    registrar = _registrar(args)
    try:
        with _locked(registrar, port_id):
            if registrar.persist:
                _persist_link_state(registrar, port_id, enable)
            if enable:
                registrar.client.enable_port(port_id)
            else:
                registrar.client.disable_port(port_id)
    except exception.AgentNotRunning as exc:
        # As the classic script: the port file carries the state.
        logging.warning('%s', exc.format_message())
    except exception.VRouterException as exc:
        raise _Exit(EXIT_BAD_ARGUMENT, exc.format_message())
    return EXIT_OK


def _persist_link_state(registrar: registration.Registrar, port_id: str,
                        enable: bool) -> None:
    data = registrar.read(port_id)
    if (not isinstance(data, dict) or
            data.get(constants.KEY_TYPE) != constants.PORT_TYPE_ESXI):
        return
    if enable:
        data[constants.KEY_LINK_STATE] = 1
    elif data.pop(constants.KEY_LINK_STATE, None) is None:
        return
    privileged.write_port_file(registrar.port_dir, port_id,
                               port_request.to_json(data))


def run(args: argparse.Namespace) -> int:
    """Run a parsed command line; return the exit code."""
    _check_choice('oper', args.oper, OPERS)
    _configure(args)
    if args.oper == 'add':
        return _add(args)
    port_id = _port_id(args)
    if args.oper == 'delete':
        return _delete(args, port_id)
    return _set_link_state(args, port_id, enable=args.oper == 'enable')


def main(argv: ty.Optional[ty.List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr, format='%(levelname)s: %(message)s',
        level=logging.DEBUG if args.verbose else logging.WARNING)
    # Run as root like the classic script: the privileged functions run in
    # this process, not in a privsep daemon.
    privsep.vif_plug.set_client_mode(False)
    try:
        return run(args)
    except _Exit as exc:
        print('vrouter-port-control: %s' % exc, file=sys.stderr)
        return exc.code


if __name__ == '__main__':
    sys.exit(main())
