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

"""The kernel's TCP socket tables: who owns which socket of this host.

Read from ``/proc/net/tcp`` and ``/proc/net/tcp6`` (the network
namespace of the reading process).  Any user may read them; each line
gives a socket's local and remote address, its state and the uid that
owns it.  A connection's server end, accepted or still queued, has the
uid of the socket that listened.

NOTE: sock_diag (through pyroute2) gives the same; the text tables need
no netlink socket and no asyncio loop inside nova-compute's eventlet
process, and read in well under a millisecond on a host with a few
thousand sockets.
"""

import collections
import ipaddress
import os
import socket
import struct
import typing as ty

LISTEN = 0x0A

Socket = collections.namedtuple(
    'Socket', 'local_address local_port remote_address remote_port state uid')
Socket.__doc__ = """One TCP socket: addresses as ipaddress objects (IPv4 for
IPv4-mapped IPv6 ones), ports and state as ints."""

_TABLES = (('tcp', socket.AF_INET), ('tcp6', socket.AF_INET6))


def _address(text: str, family: int) -> ty.Any:
    """An address of the tables: host-order 32-bit words, in hex."""
    words = [int(text[i:i + 8], 16) for i in range(0, len(text), 8)]
    packed = b''.join(struct.pack('=I', word) for word in words)
    address = ipaddress.ip_address(socket.inet_ntop(family, packed))
    mapped = getattr(address, 'ipv4_mapped', None)
    return mapped if mapped is not None else address


def _endpoint(text: str, family: int) -> ty.Tuple[ty.Any, int]:
    address, port = text.split(':')
    return _address(address, family), int(port, 16)


def parse(text: str, family: int) -> ty.List[Socket]:
    """The sockets of one table's text."""
    sockets = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        local = _endpoint(fields[1], family)
        remote = _endpoint(fields[2], family)
        sockets.append(Socket(local[0], local[1], remote[0], remote[1],
                              int(fields[3], 16), int(fields[7])))
    return sockets


def read(proc_net: str = '/proc/net') -> ty.List[Socket]:
    """Every TCP socket of this network namespace.

    :raises: OSError when the tables cannot be read
    """
    sockets = []
    for name, family in _TABLES:
        try:
            with open(os.path.join(proc_net, name)) as f:
                text = f.read()
        except FileNotFoundError:
            continue  # no IPv6 on this host
        sockets.extend(parse(text, family))
    return sockets


def listeners(port: int, sockets: ty.Iterable[Socket]) -> ty.List[Socket]:
    """The sockets listening on a TCP port."""
    return [s for s in sockets if s.state == LISTEN and s.local_port == port]


def accepting(address: ty.Any, port: int,
              sockets: ty.Iterable[Socket]) -> ty.List[Socket]:
    """The listeners a connection to address:port can reach: on that
    address, or on every address (0.0.0.0, ::).
    """
    address = ipaddress.ip_address(address)
    return [s for s in listeners(port, sockets)
            if s.local_address == address or s.local_address.is_unspecified]


def server_end(local: ty.Sequence[ty.Any], peer: ty.Sequence[ty.Any],
               sockets: ty.Iterable[Socket]) -> ty.Optional[Socket]:
    """The server end of one of our connections: the socket whose local
    end is our peer and whose remote end is us; None if not on this host.

    :param local: (address, port) of our end (getsockname)
    :param peer: (address, port) of the other end (getpeername)
    """
    local_address = ipaddress.ip_address(local[0])
    peer_address = ipaddress.ip_address(peer[0])
    for s in sockets:
        if (s.local_port == peer[1] and s.remote_port == local[1] and
                s.local_address == peer_address and
                s.remote_address == local_address and s.state != LISTEN):
            return s
    return None


def exposed(port: int, sockets: ty.Iterable[Socket]) -> ty.List[Socket]:
    """The listeners of a port on more than loopback."""
    return [s for s in listeners(port, sockets)
            if not s.local_address.is_loopback]
