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

"""Register and remove ports: the agent and its port files, kept in step.

The agent knows a port in two ways: from a REST add, and from its port
file, which it replays when it starts.  A :class:`Registrar` changes both
in an order that leaves no half-done state.  Its callers hold the port's
lock (:meth:`Registrar.port_lock`, across processes) around each
operation:

register (plug)
  1. if the port file must change, write the new content to a temporary
     file first (fsynced): a full disk, a read-only directory or a failed
     privileged helper is found out before anything changes at the agent;
  2. if the port file shows a different tap name, IP or MAC, DELETE the
     port at the agent (it would only bump a version otherwise);
  3. POST the port;
  4. rename the temporary file over the port file.  If the agent is down
     (connection refused) and that is allowed (kernel datapath), the file
     is renamed anyway: the agent replays it when it starts.

  Whether the port changed is judged by meaning (:func:`same_port`,
  :func:`needs_delete_first`): a file written by the classic script for
  the same port must not cost the guest its traffic.

  When a step fails, what this call changed is put back, and nothing
  else: a port that was new is deleted at the agent and has no file; a
  port the agent had before (a re-plug) is registered again as its old
  file says, and the old file stays.  A re-plug never leaves the agent
  without a port it had.  Without port files (``persist`` off) a new
  port cannot be told from one the agent had, so what the agent
  registered is left as it is.  The :class:`Registration` a call
  returns undoes it the same way later (a vhost-user socket that never
  came).

deregister (unplug)
  DELETE the port at the agent (which also removes its file), then
  remove the file ourselves, also when the agent is down or failed: an
  unplugged port must not come back at the agent's next start.  Unknown
  ports are fine.
"""

import dataclasses
import ipaddress
import os
import typing as ty

from oslo_log import log as logging
from oslo_privsep import comm as privsep_comm
from oslo_privsep import daemon as privsep_daemon

from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter import port_file
from os_vif_vrouter import port_request
from os_vif_vrouter import ports
from os_vif_vrouter import privileged

LOG = logging.getLogger(__name__)

# A port file as read: its object, UNREADABLE, or None when there is none.
PortFileData = ty.Union[port_request.Body, ty.Any, None]

# How a failed privileged helper (not the file work it was asked to do)
# shows itself to its caller: the daemon died, could not start, or did
# not answer.
_PRIVSEP_FAILURES = (OSError, EOFError, privsep_comm.PrivsepTimeout,
                     privsep_daemon.FailedToDropPrivileges,
                     privsep_daemon.ProtocolError)

# Changes the agent does not apply when a port it already has (for the
# same instance) is added again: it only bumps the port's version.  A
# re-plug that changes one of them deletes the port at the agent first.
FIELDS_APPLIED_ONLY_ON_ADD = (constants.KEY_SYSTEM_NAME,
                              constants.KEY_IP_ADDRESS,
                              constants.KEY_IP6_ADDRESS,
                              constants.KEY_MAC_ADDRESS)

# Who wrote a request and when: informational, for people reading a file.
_INFORMATIONAL_FIELDS = (constants.KEY_AUTHOR, constants.KEY_TIME)


# A port file against a request: by meaning.

def _no_address_or(value: ty.Any, version: int) -> ty.Any:
    """An address as an ipaddress object, None for "no address".

    None, "", "None" (what the classic script writes when it has no IPv6
    address) and the agent's own 0.0.0.0 / :: all mean none.  Text that
    does not parse is kept as it is: it can only equal itself.
    """
    if value is None or value in ('', 'None'):
        return None
    if not isinstance(value, str):
        return value
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return value
    if address.version != version:
        return value
    return None if address.is_unspecified else address


def _mac(value: ty.Any) -> ty.Any:
    return value.lower() if isinstance(value, str) else value


def _project(value: ty.Any) -> ty.Any:
    dashed = ports.dashed_project_id(value)
    return value if dashed is None else dashed


# How each key is compared: by what it means, not by how it is spelt.
_MEANING: ty.Dict[str, ty.Callable[[ty.Any], ty.Any]] = {
    constants.KEY_IP_ADDRESS: lambda value: _no_address_or(value, 4),
    constants.KEY_IP6_ADDRESS: lambda value: _no_address_or(value, 6),
    constants.KEY_MAC_ADDRESS: _mac,
    constants.KEY_PROJECT_ID: _project,
}


def _meaning(request: port_request.Body, key: str) -> ty.Any:
    value = request.get(key)
    convert = _MEANING.get(key)
    return convert(value) if convert is not None else value


def needs_delete_first(old: PortFileData, new: port_request.Body) -> bool:
    """Whether re-adding new over old requires deleting the port first.

    :param old: the port file (:meth:`Registrar.read`): None if none,
        UNREADABLE for a file that does not parse
    """
    if old is None:
        return False
    if not isinstance(old, dict):
        return True
    return any(_meaning(old, key) != _meaning(new, key)
               for key in FIELDS_APPLIED_ONLY_ON_ADD)


def same_port(old: PortFileData, new: port_request.Body) -> bool:
    """Whether a port file (old) already describes the request (new).

    Compared by meaning: addresses parsed (no address is None, "",
    "None", 0.0.0.0 or ::), MACs in either case, project ids with or
    without dashes; who wrote it and when are ignored.  A kernel port
    (new has no vhostuser-mode) matches a file with vhostuser-mode 0,
    which the classic script writes for every port.  Then the file need
    not be written again (a host restart re-plugs every port unchanged).
    """
    if not isinstance(old, dict):
        return False
    keys = (set(old) | set(new)) - set(_INFORMATIONAL_FIELDS)
    if constants.KEY_VHOSTUSER_MODE not in new and old.get(
            constants.KEY_VHOSTUSER_MODE) == (
                constants.VHOSTUSER_MODE_VROUTER_SERVER):
        keys.discard(constants.KEY_VHOSTUSER_MODE)
    return all(_meaning(old, key) == _meaning(new, key) for key in keys)


@dataclasses.dataclass
class Registration:
    """What one :meth:`Registrar.register` call did, to undo it exactly.

    :ivar port_id: the port
    :ivar agent_accepted: the agent accepted the port; False when only
        the port file was written (the agent is down)
    :ivar previous: the port file's text before the call, None if none
        (or not read: persist off)
    :ivar agent_changed: the call added a new port, or replaced the one
        the agent had (deleted it first)
    :ivar file_changed: the call replaced or created the port file
    """
    port_id: str
    agent_accepted: bool
    previous: ty.Optional[str]
    agent_changed: bool = False
    file_changed: bool = False


def checked_port_directory(value: ty.Any) -> str:
    """An absolute port file directory, normalised.

    :raises: InvalidPortDirectory
    """
    if not isinstance(value, str) or not value:
        raise exception.InvalidPortDirectory(path=value,
                                             reason='not a path')
    if not os.path.isabs(value):
        raise exception.InvalidPortDirectory(path=value,
                                             reason='not an absolute path')
    if '\x00' in value:
        raise exception.InvalidPortDirectory(path=value,
                                             reason='contains a NUL')
    return os.path.normpath(value)


class Registrar(object):
    """Registers ports with one agent and keeps their port files.

    Takes ports as :mod:`os_vif_vrouter.ports` made them, and trusts
    them.

    :param client: an :class:`os_vif_vrouter.agent_client.AgentClient`
    :param port_dir: the agent's port file directory (checked here)
    :param persist: False to leave port files alone (the CLI's
        ``--no_persist``)
    :param lock_path: ``[oslo_concurrency] lock_path``, where the ports'
        locks are shared with the other processes of the host
    :raises: InvalidPortDirectory
    """

    def __init__(self, client: ty.Any, port_dir: ty.Any, persist: bool = True,
                 lock_path: ty.Optional[str] = None) -> None:
        self.client = client
        self.port_dir = checked_port_directory(port_dir)
        self.persist = persist
        self.lock_path = lock_path

    def port_lock(self, port_id: str) -> ty.Any:
        """The lock of one port (threads and processes); not re-entrant:
        take it once per operation, around register, deregister, undo and
        the caller's own steps on the port.

        :raises: LockPathNotSet, PortLockError
        """
        return locks.port_lock(port_id, self.lock_path)

    def _privileged(self, action: str, port_id: str,
                    function: ty.Callable[..., ty.Any],
                    *args: ty.Any) -> ty.Any:
        """Call a privileged entrypoint; a failed helper is a PortFileError.
        """
        try:
            return function(*args)
        except _PRIVSEP_FAILURES as exc:
            raise exception.PortFileError(
                action=action, path=port_file.path_of(self.port_dir, port_id),
                reason='the privileged helper failed: %s' % (
                    str(exc) or type(exc).__name__))

    def read_text(self, port_id: str) -> ty.Optional[str]:
        """The port file's text, None if it has none."""
        return self._privileged('read', port_id, privileged.read_port_file,
                                self.port_dir, port_id)

    def read(self, port_id: str) -> PortFileData:
        """The port file as a dict, None if none, port_request.UNREADABLE
        if it is not a JSON object (a file truncated by an old writer, say).
        """
        text = self.read_text(port_id)
        return None if text is None else port_request.parse(text)

    def register(self, port: ports.Port,
                 agent_down_ok: bool) -> Registration:
        """Add a port at the agent and write its port file.

        :param agent_down_ok: if the agent refuses connections, write the
            port file and return a Registration the agent did not accept,
            instead of raising
        :raises: AgentRequestFailed (the agent refused the port),
            AgentUnavailable subclasses, PortFileError; in every case what
            the call changed has been put back (see the module docstring)
        """
        port_id = port.id
        request = port_request.body(port)
        text = port_request.to_json(request)
        previous = self.read_text(port_id) if self.persist else None
        old = None if previous is None else port_request.parse(previous)
        staged = None
        if self.persist and not same_port(old, request):
            # Nothing has changed yet: a failure here leaves the
            # agent's registration and the old file as they are.
            staged = self._privileged(
                'write', port_id, privileged.stage_port_file,
                self.port_dir, port_id, text)
        registration = Registration(port_id, True, previous)
        try:
            if needs_delete_first(old, request):
                LOG.info('Port %(port)s changed device, IP or MAC since '
                         'it was registered: deleting it at the vRouter '
                         'agent first', {'port': port_id})
                registration.agent_changed = True
                self._delete_at_agent(port_id, agent_down_ok)
            if previous is None and self.persist:
                # A new port.  Without the file (persist off) there is no
                # telling a new port from one the agent had: the agent's
                # registration is then never undone.
                registration.agent_changed = True
            try:
                self.client.add_port(text)
            except exception.AgentNotRunning:
                if not agent_down_ok:
                    raise
                LOG.warning('The vRouter agent is not running: port '
                            '%(port)s is only written to its port file; '
                            'the agent will add it when it starts',
                            {'port': port_id})
                registration.agent_accepted = False
            if staged is not None:
                self._privileged('write', port_id,
                                 privileged.commit_port_file,
                                 self.port_dir, port_id, staged)
                staged = None
                registration.file_changed = True
        except exception.VRouterException:
            if staged is not None:
                self._discard(port_id, staged)
            self._restore(registration)
            raise
        return registration

    def undo(self, registration: Registration) -> None:
        """Put back what one register call changed (see the module doc).

        Best effort: what cannot be put back is logged.
        """
        self._restore(registration)

    def _restore(self, registration: Registration) -> None:
        port_id = registration.port_id
        previous = registration.previous
        changed = registration.agent_changed or registration.file_changed
        if previous is None:
            if registration.agent_changed:
                self._quietly('delete port %s at the vRouter agent',
                              port_id, self.client.delete_port, port_id)
            if changed:
                self._quietly('remove the port file of %s', port_id,
                              self._remove, port_id)
            return
        if registration.agent_changed:
            # The agent had the port as the old file says: make it so
            # again (its DELETE also removed the old file).
            LOG.warning('Registering port %(port)s again as it was',
                        {'port': port_id})
            self._quietly('delete port %s at the vRouter agent', port_id,
                          self.client.delete_port, port_id)
            if isinstance(port_request.parse(previous), dict):
                self._quietly('add port %s again at the vRouter agent',
                              port_id, self.client.add_port, previous)
        if changed:
            self._quietly('write the old port file of %s back', port_id,
                          self._write, port_id, previous)

    @staticmethod
    def _quietly(what: str, port_id: str, function: ty.Callable[..., ty.Any],
                 *args: ty.Any) -> None:
        try:
            function(*args)
        except exception.AgentNotRunning:
            pass  # nothing to undo there; its files say the rest
        except exception.VRouterException as exc:
            LOG.error('Could not %(what)s: %(error)s',
                      {'what': what % port_id, 'error': exc})

    def deregister(self, port_id: str) -> bool:
        """Delete a port at the agent and remove its port file.

        :returns: True if the agent was told, False if it is not running
            (then only the file is removed, which is enough)
        :raises: AgentRequestFailed, AgentUnavailable subclasses (after
            removing the file), PortFileError
        """
        try:
            told = self._delete_at_agent(port_id, agent_down_ok=True)
        except exception.AgentError:
            self._remove(port_id)
            raise
        self._remove(port_id)
        return told

    def _delete_at_agent(self, port_id: str, agent_down_ok: bool) -> bool:
        try:
            self.client.delete_port(port_id)
        except exception.AgentNotRunning:
            if not agent_down_ok:
                raise
            LOG.warning('The vRouter agent is not running: port %(port)s '
                        'not deleted there (it will not be replayed)',
                        {'port': port_id})
            return False
        return True

    def _discard(self, port_id: str, staged: str) -> None:
        try:
            self._privileged('remove', port_id, privileged.discard_port_file,
                             self.port_dir, port_id, staged)
        except exception.VRouterException as exc:
            LOG.debug('Left temporary file %(name)s: %(error)s',
                      {'name': staged, 'error': exc})

    def _write(self, port_id: str, text: str) -> None:
        if self.persist:
            self._privileged('write', port_id, privileged.write_port_file,
                             self.port_dir, port_id, text)

    def _remove(self, port_id: str) -> None:
        if self.persist:
            self._privileged('remove', port_id, privileged.remove_port_file,
                             self.port_dir, port_id)
