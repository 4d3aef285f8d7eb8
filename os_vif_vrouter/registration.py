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
under a per-port lock, in an order that leaves no half-done state:

register (plug)
  1. if the port file shows a different tap name, IP or MAC, DELETE the
     port at the agent (it would only bump a version otherwise);
  2. POST the port;
  3. only once the agent accepted it, write the port file (atomically).
     If the agent is down (connection refused) and that is allowed
     (kernel datapath), write the file anyway: the agent replays it when
     it starts.  If the agent refuses the port, no file is left.  If the
     file cannot be written, the port is deleted again at the agent.

deregister (unplug)
  DELETE the port at the agent (which also removes its file), then
  remove the file ourselves, also when the agent is down or failed: an
  unplugged port must not come back at the agent's next start.  Unknown
  ports are fine.
"""

import json

from oslo_log import log as logging

from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter import port_request
from os_vif_vrouter import privileged
from os_vif_vrouter import validate

LOG = logging.getLogger(__name__)

# Shared by every Registrar of the process: the plugin is loaded under two
# names, and the same port must never be changed by both at once.
_PORT_LOCKS = locks.KeyedLocks()

# A port file that exists but does not parse as a JSON object.
UNREADABLE = object()


class Registrar(object):
    """Registers ports with one agent and keeps their port files.

    :param client: an :class:`os_vif_vrouter.agent_client.AgentClient`
    :param port_dir: the agent's port file directory
    :param persist: False to leave port files alone (the CLI's
        ``--no_persist``)
    """

    def __init__(self, client, port_dir, persist=True):
        self.client = client
        self.port_dir = validate.port_directory(port_dir)
        self.persist = persist

    def port_lock(self, port_id):
        """The lock of one port; re-entrant, so callers can hold it around
        register/deregister and their own steps.
        """
        return _PORT_LOCKS.lock(validate.port_id(port_id))

    def read(self, port_id):
        """The port file as a dict, None if none, UNREADABLE if it is not a
        JSON object (a file truncated by an old writer, say).
        """
        text = privileged.read_port_file(self.port_dir, port_id)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return UNREADABLE
        return data if isinstance(data, dict) else UNREADABLE

    def register(self, request, agent_down_ok):
        """Add a port at the agent and write its port file.

        :param request: a dict from :mod:`os_vif_vrouter.port_request`
        :param agent_down_ok: if the agent refuses connections, write the
            port file and return False instead of raising
        :returns: True if the agent accepted the port, False if only the
            port file was written (the agent is down)
        :raises: AgentRequestFailed (the agent refused the port; no file
            is left unless it still describes what the agent has),
            AgentUnavailable subclasses, PortFileError
        """
        port_id = request['id']
        body = port_request.to_json(request)
        with self.port_lock(port_id):
            old = self.read(port_id) if self.persist else None
            deleted = False
            if port_request.needs_delete_first(old, request):
                LOG.info('Port %(port)s changed device, IP or MAC since it '
                         'was registered: deleting it at the vRouter agent '
                         'first', {'port': port_id})
                deleted = self._delete_at_agent(port_id, agent_down_ok)
            try:
                self.client.add_port(body)
            except exception.AgentNotRunning:
                if not agent_down_ok:
                    raise
                LOG.warning('The vRouter agent is not running: port '
                            '%(port)s is only written to its port file; the '
                            'agent will add it when it starts',
                            {'port': port_id})
                if not port_request.same_port(old, request):
                    self._write(port_id, body)
                return False
            except exception.AgentRequestFailed:
                if old is None or deleted:
                    # The agent has no version of this port, so no file
                    # may describe one (the agent also removed its file
                    # when we deleted the port).
                    self._remove(port_id)
                # Otherwise the agent still has the port as the old file
                # describes it: both are left as they are.
                raise
            if port_request.same_port(old, request):
                # The durable file already says all of it.
                return True
            try:
                self._write(port_id, body)
            except exception.PortFileError:
                # Registered but not persisted: the agent would lose the
                # port at its next start.  Undo the registration.
                self._rollback(port_id)
                raise
            return True

    def deregister(self, port_id):
        """Delete a port at the agent and remove its port file.

        :returns: True if the agent was told, False if it is not running
            (then only the file is removed, which is enough)
        :raises: AgentRequestFailed, AgentUnavailable subclasses (after
            removing the file), PortFileError
        """
        with self.port_lock(port_id):
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

    def _rollback(self, port_id):
        try:
            self._delete_at_agent(port_id, agent_down_ok=True)
        except exception.AgentError as exc:
            LOG.error('Could not delete port %(port)s at the vRouter agent '
                      'after failing to write its port file: %(error)s',
                      {'port': port_id, 'error': exc})

    def _write(self, port_id, body):
        if self.persist:
            privileged.write_port_file(self.port_dir, port_id, body)

    def _remove(self, port_id):
        if self.persist:
            privileged.remove_port_file(self.port_dir, port_id)
