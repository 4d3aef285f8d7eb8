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

"""The agent's port files: one JSON file per port, named by the port UUID.

These functions do the file I/O themselves and must run with the rights
the port directory needs: the plugin calls them through the privileged
entrypoints of :mod:`os_vif_vrouter.privileged`; the CLI, run as root
like the classic ``vrouter-port-control``, runs those entrypoints in its
own process.  They trust their arguments: the entrypoints checked the
port directory (absolute, normalised) and the port id (a canonical UUID).

A port file is replaced atomically and durably (see :func:`write`): the
agent replays every UUID-named file when it starts, and a truncated file
makes it drop the port (upstream's ``vrouter-port-control`` wrote in place
and left empty files after a crash; the agent then deleted the VIF).
"""

import os
import re
import typing as ty

from oslo_log import log as logging

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import exception

LOG = logging.getLogger(__name__)

# A port file is a few hundred bytes; anything much bigger is not one.
MAX_SIZE = 1024 * 1024
_CHUNK = 64 * 1024
_FILE_MODE = 0o644
_DIR_MODE = 0o755
# Any port's temporary file: .<port id>.<12 hex digits>.tmp
_ANY_TEMP_RE = re.compile(r'\A\.([0-9a-f-]{36})\.[0-9a-f]{12}\.tmp\Z')


def path_of(port_dir: str, port_id: str) -> str:
    """The file of a port: <port_dir>/<port_id>."""
    return os.path.join(port_dir, port_id)


def _error(action: str, path: str,
           exc: OSError) -> exception.PortFileError:
    return exception.PortFileError(action=action, path=path,
                                   reason=exc.strerror or str(exc))


def temp_name_pattern(port_id: str) -> ty.Pattern[str]:
    """What the temporary files of a port are called: .<id>.<hex>.tmp."""
    return re.compile(r'\A\.%s\.[0-9a-f]{12}\.tmp\Z' % re.escape(port_id))


def temp_port_id(name: str) -> ty.Optional[str]:
    """The port a temporary file (kept or left) belongs to, None when name
    is not a port's temporary file.
    """
    match = _ANY_TEMP_RE.match(name)
    if match is None or not osvt_validate.is_canonical_uuid(match.group(1)):
        return None
    return match.group(1)


def _open_temp(port_dir: str, port_id: str) -> ty.Tuple[int, str]:
    """Create the temporary file in port_dir; create port_dir if missing.

    The temporary file must be in the same directory as the port file:
    rename() is atomic only within one file system.  Its name starts with
    '.' and is not a UUID, so the agent never replays it, even if a crash
    leaves it behind.
    """
    name = '.%s.%s.tmp' % (port_id, os.urandom(6).hex())
    temp = os.path.join(port_dir, name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        return os.open(temp, flags, _FILE_MODE), temp
    except FileNotFoundError:
        # The agent creates the directory when it starts; a port may be
        # plugged before it ever ran on this host.
        os.makedirs(port_dir, mode=_DIR_MODE, exist_ok=True)
        return os.open(temp, flags, _FILE_MODE), temp


def _write_all(fd: int, data: bytes) -> None:
    written = 0
    while written < len(data):
        written += os.write(fd, data[written:written + _CHUNK])


def _fsync_dir(port_dir: str) -> None:
    fd = os.open(port_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(port_dir: str, port_id: str,
                     keep: ty.Optional[str] = None) -> ty.List[str]:
    """Remove the temporary files a killed writer left for port_id.

    Only safe under the port's lock (no other writer of the port is
    running then).

    :param keep: a temporary file name not to remove
    :returns: the names removed
    """
    pattern = temp_name_pattern(port_id)
    removed: ty.List[str] = []
    try:
        names = os.listdir(port_dir)
    except FileNotFoundError:
        return removed
    for name in names:
        if name != keep and pattern.match(name):
            _unlink_quietly(os.path.join(port_dir, name))
            removed.append(name)
    return removed


def stage(port_dir: str, port_id: str, data: bytes) -> str:
    """Write data (bytes) durably to a new temporary file of the port.

    The first half of :func:`write`: nothing the agent reads changes, so a
    caller can find out that the new state can be made durable (the disk
    is not full, the directory is writable) before it changes anything at
    the agent, then :func:`commit` it, or :func:`discard` it.  The
    port's leftover temporary files (a killed writer's) are removed.

    :returns: the temporary file's name (in port_dir)
    :raises: exception.PortFileError
    """
    path = path_of(port_dir, port_id)
    try:
        fd, temp = _open_temp(port_dir, port_id)
    except OSError as exc:
        raise _error('create', path, exc)
    try:
        try:
            os.fchmod(fd, _FILE_MODE)  # whatever the umask
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        _unlink_quietly(temp)
        raise _error('write', path, exc)
    remove_leftovers(port_dir, port_id, keep=os.path.basename(temp))
    return os.path.basename(temp)


def _staged_path(port_dir: str, port_id: str, temp_name: ty.Any) -> str:
    if not isinstance(temp_name, str) or not temp_name_pattern(
            port_id).match(temp_name):
        raise exception.PortFileError(
            action='commit', path=path_of(port_dir, port_id),
            reason='%r is not a temporary file of this port' % (temp_name,))
    return os.path.join(port_dir, temp_name)


def commit(port_dir: str, port_id: str, temp_name: str) -> None:
    """Rename a staged file over the port file; sync the directory.

    :raises: exception.PortFileError
    """
    path = path_of(port_dir, port_id)
    temp = _staged_path(port_dir, port_id, temp_name)
    try:
        os.rename(temp, path)
    except OSError as exc:
        _unlink_quietly(temp)
        raise _error('write', path, exc)
    try:
        _fsync_dir(port_dir)
    except OSError as exc:
        raise _error('sync the directory of', path, exc)


def discard(port_dir: str, port_id: str, temp_name: str) -> None:
    """Remove a staged file that will not be committed."""
    _unlink_quietly(_staged_path(port_dir, port_id, temp_name))


def write(port_dir: str, port_id: str, data: bytes) -> None:
    """Replace the file of a port with data (bytes), atomically, durably.

    Write a temporary file in the same directory, fsync it, rename it over
    the port file, fsync the directory.  Whatever the moment a crash or a
    SIGKILL hits, the port file is the old complete one or the new
    complete one.  The first fsync orders the data before the rename
    (without it, a power loss can leave the new name on an empty file);
    the second makes the rename itself durable.

    :raises: exception.PortFileError
    """
    commit(port_dir, port_id, stage(port_dir, port_id, data))


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        # A read-only directory, say: the temporary file stays, and the
        # next write of the port (or the audit) removes it.
        LOG.debug('Cannot remove %(path)s: %(error)s',
                  {'path': path, 'error': exc})


def read(port_dir: str, port_id: str) -> ty.Optional[str]:
    """The content of a port's file as text, or None when it has none.

    :raises: exception.PortFileError (unreadable, or bigger than MAX_SIZE)
    """
    path = path_of(port_dir, port_id)
    try:
        with open(path, 'rb') as f:
            data = f.read(MAX_SIZE + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _error('read', path, exc)
    if len(data) > MAX_SIZE:
        raise exception.PortFileError(
            action='read', path=path,
            reason='bigger than %d bytes: not a port file' % MAX_SIZE)
    # The agent reads JSON as UTF-8; bytes that are not come out as
    # U+FFFD and the caller sees a file that does not parse.
    return data.decode('utf-8', errors='replace')


def remove(port_dir: str, port_id: str) -> bool:
    """Remove a port's file, and its leftover temporary files; True if
    there was a port file.

    The directory is synced too: a removal lost in a crash would bring
    back a port the agent replays at its next start.

    :raises: exception.PortFileError
    """
    path = path_of(port_dir, port_id)
    remove_leftovers(port_dir, port_id)
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _error('remove', path, exc)
    try:
        _fsync_dir(port_dir)
    except OSError as exc:
        raise _error('sync the directory of', path, exc)
    return True
