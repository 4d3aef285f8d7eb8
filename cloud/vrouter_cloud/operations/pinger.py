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

    ip netns exec vrcloud-gw python -m vrouter_cloud.operations.pinger
        --targets FILE --out FILE [--interval 0.01] [--timeout 2]

Runs in the gateway's namespace, which has every guest network's
segment: the echo requests leave through the gateway's bridge, cross the
VXLAN segment to the node and its kernel datapath and reach the guest's
tap, as any traffic from outside the guest does.  Every interval each
guest of the targets file (one IPv4 address a line, re-read when it
changes: servers come and go) gets one echo request on a raw ICMP socket;
its answers are matched by identifier and sequence number.  What the
probes show (``probes``) goes to the output file as JSON lines: each gap
as it closes, and each guest's counters once a second.  Prints
``pinging`` once the socket is open.
"""

import argparse
import os
import select
import signal
import socket
import struct
import sys
import threading
import time

from vrouter_cloud.operations import probes

_ECHO_REQUEST = 8
_ECHO_REPLY = 0
_COUNT_EVERY = 1.0
_SETTLE_EVERY = 0.05


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
    try:
        with open(path) as f:
            return [line.strip() for line in f
                    if line.strip() and not line.startswith('#')]
    except FileNotFoundError:
        return []


class Pinger(object):
    """One raw socket, one probe track per guest."""

    def __init__(self, out, interval, timeout):
        self.out = out
        self.interval = interval
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                  socket.IPPROTO_ICMP)
        self.lock = threading.Lock()
        self.tracks = {}  # address -> ProbeTrack
        self.idents = {}  # identifier -> address
        self._next_ident = (os.getpid() * 64) & 0xffff
        self._seq = {}  # address -> next probe number
        self.stop = threading.Event()  # stop sending
        self.deaf = threading.Event()  # stop receiving

    def set_targets(self, addresses):
        with self.lock:
            for address in addresses:
                if address not in self.tracks:
                    self.tracks[address] = probes.ProbeTrack(self.timeout)
                    self._seq[address] = 0
                    self.idents[self._next_ident] = address
                    self._next_ident = (self._next_ident + 1) & 0xffff
            for address in set(self.tracks) - set(addresses):
                self._write_count(address, time.monotonic())
                del self.tracks[address]
                del self._seq[address]
                for ident, known in list(self.idents.items()):
                    if known == address:
                        del self.idents[ident]

    def _ident_of(self, address):
        for ident, known in self.idents.items():
            if known == address:
                return ident
        return None

    def send_round(self):
        now = time.monotonic()
        with self.lock:
            targets = [(address, self._ident_of(address), self._seq[address])
                       for address in self.tracks]
            for address, _, seq in targets:
                self._seq[address] = seq + 1
                self.tracks[address].send(seq, now)
        for address, ident, seq in targets:
            try:
                self.sock.sendto(echo_request(ident, seq & 0xffff),
                                 (address, 0))
            except OSError:
                pass  # no route yet: the probe is unanswered

    def receive(self):
        while not self.deaf.is_set():
            ready, _, _ = select.select([self.sock], [], [], 0.1)
            if not ready:
                continue
            packet = self.sock.recv(2048)
            reply = parse_reply(packet)
            if reply is None:
                continue
            ident, seq16 = reply
            with self.lock:
                address = self.idents.get(ident)
                if address is None:
                    continue
                track = self.tracks[address]
                # The 16-bit sequence of one of its pending probes (fewer
                # than 65536 are pending: timeout / interval).
                base = self._seq[address] - 1
                seq = base - ((base - seq16) & 0xffff)
                track.answer(seq)

    def settle(self, now):
        with self.lock:
            for address, track in self.tracks.items():
                for gap in track.settle(now):
                    self.out.write(probes.gap_record(address, gap, now) +
                                   '\n')

    def _write_count(self, address, now):
        self.out.write(probes.count_record(address, self.tracks[address],
                                           now) + '\n')

    def write_counts(self, now):
        with self.lock:
            for address in self.tracks:
                self._write_count(address, now)
        self.out.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--targets', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--interval', type=float, default=0.01)
    parser.add_argument('--timeout', type=float, default=2.0)
    args = parser.parse_args(argv)
    with open(args.out, 'a') as out:
        pinger = Pinger(out, args.interval, args.timeout)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: pinger.stop.set())
        receiver = threading.Thread(target=pinger.receive, daemon=True)
        receiver.start()
        print('pinging', flush=True)
        targets_mtime = None
        next_send = next_settle = next_count = time.monotonic()
        while not pinger.stop.is_set():
            now = time.monotonic()
            if now >= next_count:
                try:
                    mtime = os.stat(args.targets).st_mtime_ns
                except FileNotFoundError:
                    mtime = None
                if mtime != targets_mtime:
                    targets_mtime = mtime
                    pinger.set_targets(read_targets(args.targets))
                pinger.write_counts(now)
                next_count = now + _COUNT_EVERY
            if now >= next_send:
                pinger.send_round()
                # A late round is not made up for: missed rounds are no
                # probes, not lost ones.
                next_send = max(next_send + args.interval, now)
            if now >= next_settle:
                pinger.settle(now)
                next_settle = now + _SETTLE_EVERY
            time.sleep(max(0.0, min(next_send, next_settle, next_count) -
                           time.monotonic()))
        # Probes still pending settle as they are: wait out their timeout.
        end = time.monotonic() + args.timeout
        while time.monotonic() < end:
            time.sleep(0.05)
        pinger.deaf.set()
        receiver.join()
        pinger.settle(time.monotonic())
        pinger.write_counts(time.monotonic())
    return 0


if __name__ == '__main__':
    sys.exit(main())
