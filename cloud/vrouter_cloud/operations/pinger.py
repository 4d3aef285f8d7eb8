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

"""Ping guests every few milliseconds, from outside them, until SIGTERM.

    ip netns exec NAMESPACE python -m vrouter_cloud.operations.pinger
        --targets FILE --out FILE [--interval 0.01] [--timeout 2]

Runs in the namespace of the router of the guests' network (the test
cloud's ``vrcloud-r<id>``, where their traffic leaves the overlay): the
echo requests leave through that namespace's bridge of the network,
cross the VXLAN segment to the node and its kernel datapath and reach the
guest's tap, as any traffic from outside the guest does.  Every interval
each guest of the targets file (one ``NAME ADDRESS`` a line, re-read when
it changes: servers come and go) gets one echo request on a raw ICMP
socket; its answers are matched by identifier and sequence number.  A
guest is known by its name: a later server that gets the address of a
deleted one is another guest.  What the probes show (``probes``) goes to
the output file as JSON lines: each gap as it closes, and each guest's
counters once a second.  Prints ``pinging`` once the socket is open.
"""

import argparse
import ipaddress
import os
import select
import signal
import socket
import struct
import sys
import time

from vrouter_cloud.operations import probes

_ECHO_REQUEST = 8
_ECHO_REPLY = 0
_COUNT_EVERY = 1.0
_SETTLE_EVERY = 0.05
# Room for the answers of seconds without reading (about 1 KiB of
# buffer each); root may set more than the system's maximum.
_SO_RCVBUFFORCE = getattr(socket, 'SO_RCVBUFFORCE', 33)
_RECEIVE_BUFFER = 16 * 1024 * 1024
# A probe to a guest whose address is not resolved yet (a server still
# booting) waits in the kernel's neighbour queue, and is charged to the
# socket, until ARP gives up (3 s): with the default send buffer (208 KiB)
# a few booting guests fill it in about a second, and then every send
# fails with ENOBUFS, to every guest, until the queue is dropped (seen as
# 1.4 s gaps every 3 s on all guests at once while servers booted).  The
# kernel bounds each neighbour's queue (unres_qlen_bytes, 208 KiB by
# default), so 16 MiB is room for dozens of booting guests.
_SO_SNDBUFFORCE = getattr(socket, 'SO_SNDBUFFORCE', 32)
_SEND_BUFFER = 16 * 1024 * 1024


def checksum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def echo_request(ident, seq, payload=b'vrouter-ops-probe'):
    header = struct.pack('!BBHHH', _ECHO_REQUEST, 0, 0, ident, seq)
    return struct.pack('!BBHHH', _ECHO_REQUEST, 0,
                       checksum(header + payload), ident, seq) + payload


def parse_reply(packet):
    """(identifier, sequence) of an IPv4 packet carrying an echo reply, or
    None for anything else.
    """
    if len(packet) < 20:
        return None
    header_length = (packet[0] & 0x0f) * 4
    icmp = packet[header_length:header_length + 8]
    if len(icmp) < 8 or icmp[0] != _ECHO_REPLY:
        return None
    _, _, _, ident, seq = struct.unpack('!BBHHH', icmp)
    return ident, seq


def read_targets(path):
    """{name: IPv4 address} of a targets file ({} if there is none).

    :raises: ValueError naming a line that is not ``NAME ADDRESS``
    """
    targets = {}
    try:
        with open(path) as f:
            lines = f.readlines()
    except FileNotFoundError:
        return targets
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith('#'):
            continue
        fields = line.split()
        if len(fields) != 2:
            raise ValueError('%s:%d: not "NAME ADDRESS": %r' % (
                path, number, line.rstrip('\n')))
        targets[fields[0]] = str(ipaddress.IPv4Address(fields[1]))
    return targets


class Pinger(object):
    """One raw socket, one probe track per guest, one thread.

    Answers are read from the socket before probes are settled: a pinger
    that was not scheduled for a while (a busy machine) finds the answers
    that came meanwhile in the socket's buffer (made big enough for
    seconds of them) and loses none of them.
    """

    def __init__(self, out, interval, timeout):
        self.out = out
        self.interval = interval
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                  socket.IPPROTO_ICMP)
        self.sock.setsockopt(socket.SOL_SOCKET, _SO_RCVBUFFORCE,
                             _RECEIVE_BUFFER)
        self.sock.setsockopt(socket.SOL_SOCKET, _SO_SNDBUFFORCE,
                             _SEND_BUFFER)
        self.sock.setblocking(False)
        self.tracks = {}  # name -> ProbeTrack
        self.addresses = {}  # name -> address
        self.names = {}  # identifier -> name
        self._ident = {}  # name -> identifier
        self._next_ident = (os.getpid() * 64) & 0xffff
        self._seq = {}  # name -> next probe number

    def set_targets(self, targets, now):
        """Ping these guests from now on.

        :param targets: {name: address}
        """
        for name in set(self.tracks):
            if targets.get(name) != self.addresses[name]:
                self._write_count(name, now)
                del self.tracks[name]
                del self.addresses[name]
                del self._seq[name]
                del self.names[self._ident.pop(name)]
        for name, address in sorted(targets.items()):
            if name not in self.tracks:
                self.tracks[name] = probes.ProbeTrack(self.timeout)
                self.addresses[name] = address
                self._seq[name] = 0
                self.names[self._next_ident] = name
                self._ident[name] = self._next_ident
                self._next_ident = (self._next_ident + 1) & 0xffff

    def send_round(self, now):
        for name, track in self.tracks.items():
            seq = self._seq[name]
            self._seq[name] = seq + 1
            try:
                self.sock.sendto(echo_request(self._ident[name],
                                              seq & 0xffff),
                                 (self.addresses[name], 0))
            except OSError as e:
                # A probe that never left says nothing of the guest's
                # network; counted apart, it fails the measurement.
                track.unsent_probe(e.errno)
                continue
            track.send(seq, now)

    def receive(self):
        """Read every answer waiting in the socket."""
        while True:
            try:
                packet = self.sock.recv(2048)
            except BlockingIOError:
                return
            reply = parse_reply(packet)
            if reply is None:
                continue
            ident, seq16 = reply
            name = self.names.get(ident)
            if name is None:
                continue
            # The 16-bit sequence of one of its pending probes (fewer
            # than 65536 are pending: timeout / interval).
            last = self._seq[name] - 1
            self.tracks[name].answer(last - ((last - seq16) & 0xffff))

    def settle(self, now):
        self.receive()
        for name, track in self.tracks.items():
            for gap in track.settle(now):
                self.out.write(probes.gap_record(name, gap, now) + '\n')

    def _write_count(self, name, now):
        self.out.write(probes.count_record(name, self.tracks[name], now) +
                       '\n')

    def write_counts(self, now):
        for name in self.tracks:
            self._write_count(name, now)
        self.out.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--targets', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--interval', type=float, default=0.01)
    parser.add_argument('--timeout', type=float, default=2.0)
    args = parser.parse_args(argv)
    stop = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.append(True))
    with open(args.out, 'a') as out:
        pinger = Pinger(out, args.interval, args.timeout)
        print('pinging', flush=True)
        targets_mtime = None
        next_send = next_settle = next_count = time.monotonic()
        while not stop:
            now = time.monotonic()
            if now >= next_count:
                try:
                    mtime = os.stat(args.targets).st_mtime_ns
                except FileNotFoundError:
                    mtime = None
                if mtime != targets_mtime:
                    targets_mtime = mtime
                    pinger.set_targets(read_targets(args.targets), now)
                pinger.write_counts(now)
                next_count = now + _COUNT_EVERY
            if now >= next_send:
                pinger.send_round(now)
                # A late round is not made up for: missed rounds are no
                # probes, not lost ones.
                next_send = max(next_send + args.interval, now)
            if now >= next_settle:
                pinger.settle(now)
                next_settle = now + _SETTLE_EVERY
            wait = min(next_send, next_settle, next_count) - time.monotonic()
            if wait > 0:
                select.select([pinger.sock], [], [], wait)
            pinger.receive()
        # Probes still pending settle as they are: wait out their timeout.
        end = time.monotonic() + args.timeout
        while time.monotonic() < end:
            select.select([pinger.sock], [], [], 0.05)
            pinger.receive()
        pinger.settle(time.monotonic())
        pinger.write_counts(time.monotonic())
    return 0


if __name__ == '__main__':
    sys.exit(main())
