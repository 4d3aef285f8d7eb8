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

  When a step fails, what this call changed is put back, and nothing
  else: a port that was new is deleted at the agent and has no file; a
  port the agent had before (a re-plug) is registered again as its old
  file says, and the old file stays.  A re-plug never leaves the agent
  without a port it had.  Without port files (``persist`` off) a new
  port cannot be told from one the agent had, so what the agent
  registered is left as it is.  The :class:`Registration` a call returns undoes
  it the same way later (a vhost-user socket that never came).

deregister (unplug)
  DELETE the port at the agent (which also removes its file), then
  remove the file ourselves, also when the agent is down or failed: an
  unplugged port must not come back at the agent's next start.  Unknown
  ports are fine.
"""

import json

from oslo_log import log as logging
from oslo_privsep import comm as privsep_comm
from oslo_privsep import daemon as privsep_daemon

from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter import port_file
from os_vif_vrouter import port_request
from os_vif_vrouter import privileged
from os_vif_vrouter import validate

LOG = logging.getLogger(__name__)

# A port file that exists but does not parse as a JSON object.
UNREADABLE = object()

# How a failed privileged helper (not the file work it was asked to do)
# shows itself to its caller: the daemon died, could not start, or did
# not answer.
_PRIVSEP_FAILURES = (OSError, EOFError, privsep_comm.PrivsepTimeout,
                     privsep_daemon.FailedToDropPrivileges,
                     privsep_daemon.ProtocolError)


def _parse(text):
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return UNREADABLE
    return data if isinstance(data, dict) else UNREADABLE


class Registration(object):
    """What one :meth:`Registrar.register` call did, to undo it exactly.

    True (``bool()``) when the agent accepted the port, False when only the
    port file was written (the agent is down).

    :ivar port_id: the port
    :ivar previous: the port file's text before the call, None if none
    :ivar agent_changed: the call added a new port, or replaced the one
        the agent had (deleted it first)
    :ivar file_changed: the call replaced or created the port file
    """

    def __init__(self, port_id, registered, previous, agent_changed,
                 file_changed):
        self.port_id = port_id
        self.registered = registered
        self.previous = previous
        self.agent_changed = agent_changed
        self.file_changed = file_changed

    def __bool__(self):
        return self.registered


class Registrar(object):
    """Registers ports with one agent and keeps their port files.

    :param client: an :class:`os_vif_vrouter.agent_client.AgentClient`
    :param port_dir: the agent's port file directory
    :param persist: False to leave port files alone (the CLI's
        ``--no_persist``)
    :param lock_path: ``[oslo_concurrency] lock_path``, where the ports'
        locks are shared with the other processes of the host
    """

    def __init__(self, client, port_dir, persist=True, lock_path=None):
        self.client = client
        self.port_dir = validate.port_directory(port_dir)
        self.persist = persist
        self.lock_path = lock_path

    def port_lock(self, port_id):
        """The lock of one port (threads and processes); not re-entrant:
        take it once per operation, around register, deregister, undo and
        the caller's own steps on the port.

        :raises: LockPathNotSet, PortLockError
        """
        return locks.port_lock(port_id, self.lock_path)

    def _privileged(self, action, port_id, function, *args):
        """Call a privileged entrypoint; a failed helper is a PortFileError.
        """
        try:
            return function(*args)
        except _PRIVSEP_FAILURES as exc:
            raise exception.PortFileError(
                action=action, path=port_file.path_of(self.port_dir, port_id),
                reason='the privileged helper failed: %s' % (
                    str(exc) or type(exc).__name__))

    def read_text(self, port_id):
        """The port file's text, None if it has none."""
        return self._privileged('read', port_id, privileged.read_port_file,
                                self.port_dir, port_id)

    def read(self, port_id):
        """The port file as a dict, None if none, UNREADABLE if it is not a
        JSON object (a file truncated by an old writer, say).
        """
        return _parse(self.read_text(port_id))

    def register(self, request, agent_down_ok):
        """Add a port at the agent and write its port file.

        :param request: a dict from :mod:`os_vif_vrouter.port_request`
        :param agent_down_ok: if the agent refuses connections, write the
            port file and return a false Registration instead of raising
        :returns: a :class:`Registration`
        :raises: AgentRequestFailed (the agent refused the port),
            AgentUnavailable subclasses, PortFileError; in every case what
            the call changed has been put back (see the module docstring)
        """
        port_id = request['id']
        body = port_request.to_json(request)
        previous = self.read_text(port_id) if self.persist else None
        old = _parse(previous)
        staged = None
        if self.persist and not port_request.same_port(old, request):
            # Nothing has changed yet: a failure here leaves the
            # agent's registration and the old file as they are.
            staged = self._privileged(
                'write', port_id, privileged.stage_port_file,
                self.port_dir, port_id, body)
        done = Registration(port_id, True, previous, False, False)
        try:
            if port_request.needs_delete_first(old, request):
                LOG.info('Port %(port)s changed device, IP or MAC since '
                         'it was registered: deleting it at the vRouter '
                         'agent first', {'port': port_id})
                done.agent_changed = True
                self._delete_at_agent(port_id, agent_down_ok)
            if previous is None and self.persist:
                # A new port.  Without the file (persist off) there is no
                # telling a new port from one the agent had: the agent's
                # registration is then never undone.
                done.agent_changed = True
            try:
                self.client.add_port(body)
            except exception.AgentNotRunning:
                if not agent_down_ok:
                    raise
                LOG.warning('The vRouter agent is not running: port '
                            '%(port)s is only written to its port file; '
                            'the agent will add it when it starts',
                            {'port': port_id})
                done.registered = False
            if staged is not None:
                self._privileged('write', port_id,
                                 privileged.commit_port_file,
                                 self.port_dir, port_id, staged)
                staged = None
                done.file_changed = True
        except exception.VRouterException:
            if staged is not None:
                self._discard(port_id, staged)
            self._restore(done)
            raise
        return done

    def undo(self, registration):
        """Put back what one register call changed (see the module doc).

        Best effort: what cannot be put back is logged.
        """
        self._restore(registration)

    def _restore(self, done):
        port_id = done.port_id
        if done.previous is None:
            if done.agent_changed:
                self._quietly('delete port %s at the vRouter agent',
                              port_id, self.client.delete_port, port_id)
            if done.agent_changed or done.file_changed:
                self._quietly('remove the port file of %s', port_id,
                              self._remove, port_id)
            return
        if done.agent_changed:
            # The agent had the port as the old file says: make it so
            # again (its DELETE also removed the old file).
            LOG.warning('Registering port %(port)s again as it was',
                        {'port': port_id})
            self._quietly('delete port %s at the vRouter agent', port_id,
                          self.client.delete_port, port_id)
            if isinstance(_parse(done.previous), dict):
                self._quietly('add port %s again at the vRouter agent',
                              port_id, self.client.add_port, done.previous)
        if done.agent_changed or done.file_changed:
            self._quietly('write the old port file of %s back', port_id,
                          self._write, port_id, done.previous)

    @staticmethod
    def _quietly(what, port_id, function, *args):
        try:
            function(*args)
        except exception.AgentNotRunning:
            pass  # nothing to undo there; its files say the rest
        except exception.VRouterException as exc:
            LOG.error('Could not %(what)s: %(error)s',
                      {'what': what % port_id, 'error': exc})

    def deregister(self, port_id):
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

    def _delete_at_agent(self, port_id, agent_down_ok):
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

    def _discard(self, port_id, staged):
        try:
            self._privileged('remove', port_id, privileged.discard_port_file,
                             self.port_dir, port_id, staged)
        except exception.VRouterException as exc:
            LOG.debug('Left temporary file %(name)s: %(error)s',
                      {'name': staged, 'error': exc})

    def _write(self, port_id, body):
        if self.persist:
            self._privileged('write', port_id, privileged.write_port_file,
                             self.port_dir, port_id, body)

    def _remove(self, port_id):
        if self.persist:
            self._privileged('remove', port_id, privileged.remove_port_file,
                             self.port_dir, port_id)
