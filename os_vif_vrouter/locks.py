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

"""One lock per port, across threads and processes.

nova-compute (the plugin), ``vrouter-port-control`` and
``vrouter-port-audit`` each read a port file, talk to the agent and write
the file: on the same port, one at a time.  The lock is oslo.concurrency's
external lock (a semaphore per name within a process, an flock'd file in
``[oslo_concurrency] lock_path`` between processes), named
``vrouter-port-<port id>``, so every process that reads the same
configuration shares it.  It is not re-entrant: each operation takes it
once.

The lock files stay (one empty file per port ever locked): removing one
while another process waits on it would let two holders in.
"""

import os
import typing as ty

from oslo_concurrency import lockutils

from os_vif_vrouter import exception

LOCK_PREFIX = 'vrouter-port-'


def lock_path_of(conf: ty.Any) -> ty.Optional[str]:
    """``[oslo_concurrency] lock_path`` of conf (registers the option)."""
    return lockutils.get_lock_path(conf)


def lock_name(port_id: str) -> str:
    """The lock's name (and file name): port_id is a checked port id."""
    return LOCK_PREFIX + port_id


def _give_to_directory_owner(lock_path: str, name: str) -> None:
    """Create the lock file owned by the owner of lock_path.

    The CLIs run as root, nova-compute as its own user: a lock file root
    created with root's ownership could not be opened for writing by
    nova-compute afterwards, and every plug of that port would fail.
    """
    try:
        owner = os.stat(lock_path)
    except FileNotFoundError:
        return  # oslo.concurrency creates the directory
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    fd = os.open(os.path.join(lock_path, name),
                 os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW,
                 0o644)
    try:
        os.fchown(fd, owner.st_uid, owner.st_gid)
    finally:
        os.close(fd)


def port_lock(port_id: str, lock_path: ty.Optional[str]) -> '_Locked':
    """The lock of one port: a context manager.

    :param port_id: a checked port id (see os_vif_vrouter.ports)
    :param lock_path: ``[oslo_concurrency] lock_path``
    :raises: LockPathNotSet, PortLockError (on entering)
    """
    name = lock_name(port_id)
    if not lock_path:
        raise exception.LockPathNotSet(port_id=port_id)
    try:
        _give_to_directory_owner(lock_path, name)
    except OSError as exc:
        raise exception.PortLockError(port_id=port_id, path=lock_path,
                                      reason=exc.strerror or str(exc))
    return _Locked(name, lock_path, port_id)


class _Locked(object):
    """lockutils.lock, with its OSErrors made typed."""

    def __init__(self, name: str, lock_path: str, port_id: str) -> None:
        self._lock = lockutils.lock(name, external=True, lock_path=lock_path,
                                    do_log=False)
        self._lock_path = lock_path
        self._port_id = port_id

    def __enter__(self) -> ty.Any:
        try:
            return self._lock.__enter__()
        except OSError as exc:
            raise exception.PortLockError(port_id=self._port_id,
                                          path=self._lock_path,
                                          reason=exc.strerror or str(exc))

    def __exit__(self, *exc_info: ty.Any) -> ty.Any:
        return self._lock.__exit__(*exc_info)
