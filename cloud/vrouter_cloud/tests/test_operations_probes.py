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

"""Ping probes: gaps, losses, and what one window of them says."""

import errno
import io
import os
import struct

import fixtures
import testtools

from vrouter_cloud.operations import pinger
from vrouter_cloud.operations import probes

INTERVAL = 0.01


def _run(track, answered, start=100.0, timeout=1.0):
    """Send a probe every INTERVAL; answered(seq) says if it is answered.

    :returns: (the gaps, the time of the last send)
    """
    gaps = []
    seq = 0
    now = start
    for seq, is_answered in enumerate(answered):
        now = start + seq * INTERVAL
        track.send(seq, now)
        if is_answered:
            track.answer(seq)
        gaps += track.settle(now)
    gaps += track.settle(now + timeout)
    return gaps, now


class ProbeTrackTest(testtools.TestCase):

    def test_no_loss_no_gap(self):
        track = probes.ProbeTrack(timeout=1.0)
        gaps, _ = _run(track, [True] * 500)
        self.assertEqual([], gaps)
        self.assertEqual((500, 500, 0), (track.sent, track.answered,
                                         track.lost))

    def test_a_run_of_lost_probes_is_one_gap(self):
        track = probes.ProbeTrack(timeout=1.0)
        answered = [True] * 10 + [False] * 12 + [True] * 10
        gaps, _ = _run(track, answered)
        self.assertEqual(1, len(gaps))
        gap = gaps[0]
        self.assertEqual(12, gap.lost)
        # From the last answered probe (9) to the next answered one (22).
        self.assertAlmostEqual(100.09, gap.start)
        self.assertAlmostEqual(100.22, gap.end)
        self.assertEqual(12, track.lost)

    def test_a_late_answer_within_the_timeout_is_no_loss(self):
        track = probes.ProbeTrack(timeout=1.0)
        track.send(0, 10.0)
        track.send(1, 10.01)
        self.assertEqual([], track.settle(10.5))  # 0 still pending
        track.answer(1)
        track.answer(0)  # late, out of order
        self.assertEqual([], track.settle(10.6))
        self.assertEqual((2, 0), (track.answered, track.lost))

    def test_an_answer_after_the_timeout_is_a_loss(self):
        track = probes.ProbeTrack(timeout=1.0)
        track.send(0, 10.0)
        track.answer(0)
        track.settle(10.0)
        track.send(1, 10.01)
        track.settle(11.5)
        self.assertFalse(track.answer(1))  # settled: too late
        self.assertEqual(1, track.lost)
        self.assertEqual(1, track.open_lost)

    def test_before_the_first_answer_nothing_is_lost(self):
        # A guest that is still booting.
        track = probes.ProbeTrack(timeout=1.0)
        gaps, _ = _run(track, [False] * 50 + [True] * 5)
        self.assertEqual([], gaps)
        self.assertEqual(0, track.lost)
        self.assertEqual(50, track.unanswered_before_first)
        self.assertAlmostEqual(100.5, track.first_answer)

    def test_a_stalled_pinger_makes_no_gap(self):
        # No probe was sent for 300 ms (the pinger was not scheduled):
        # nothing went unanswered, so nothing was cut.
        track = probes.ProbeTrack(timeout=1.0)
        for seq, at in enumerate((1.0, 1.01, 1.31, 1.32)):
            track.send(seq, at)
            track.answer(seq)
        self.assertEqual([], track.settle(5.0))


class WindowTest(testtools.TestCase):

    def _records(self, answered, guest='10.0.0.5'):
        """A pinger's output for one guest: gaps and a count a second."""
        track = probes.ProbeTrack(timeout=1.0)
        lines = []
        for seq, is_answered in enumerate(answered):
            now = seq * INTERVAL
            track.send(seq, now)
            if is_answered:
                track.answer(seq)
            for gap in track.settle(now):
                lines.append(probes.gap_record(guest, gap, now))
            if seq % 100 == 0:
                track.settle(now)
                lines.append(probes.count_record(guest, track, now))
        return probes.parse(lines + ['{"kind": "cou'])  # a partial line

    def test_the_longest_gap_and_the_losses_of_a_window(self):
        # 10 s of probes; 150 ms without answers at 4 s, 30 ms at 7 s.
        answered = [not (400 <= i < 415 or 700 <= i < 703)
                    for i in range(1000)]
        records = self._records(answered)
        summary = probes.window(records, '10.0.0.5', 3.0, 9.0, INTERVAL)
        self.assertAlmostEqual(0.16, summary.longest)
        self.assertEqual(18, summary.lost)
        self.assertEqual(2, len(summary.outages))
        # Before the gap: nothing.
        summary = probes.window(records, '10.0.0.5', 1.0, 3.0, INTERVAL)
        self.assertEqual((INTERVAL, 0), (summary.longest, summary.lost))

    def test_an_outage_still_open_at_the_end(self):
        answered = [i < 300 for i in range(700)]
        records = self._records(answered)
        summary = probes.window(records, '10.0.0.5', 1.0, 6.0, INTERVAL)
        self.assertAlmostEqual(6.0 - 2.99, summary.longest)
        self.assertIsNone(summary.outages[-1].end)
        self.assertIsNone(probes.back_after(records, '10.0.0.5', 2.0))

    def test_back_after_an_outage(self):
        answered = [not (200 <= i < 500) for i in range(800)]
        records = self._records(answered)
        self.assertAlmostEqual(5.0, probes.back_after(records, '10.0.0.5',
                                                      3.0))

    def test_no_probe_in_the_window(self):
        records = self._records([True] * 100)
        self.assertIsNone(probes.window(records, '10.0.0.6', 0.0, 1.0,
                                        INTERVAL))


class PacketTest(testtools.TestCase):

    def test_echo_request_checksums_to_zero(self):
        packet = pinger.echo_request(0x1234, 7)
        self.assertEqual(0, pinger.checksum(packet))
        self.assertEqual(8, packet[0])

    def test_parse_reply(self):
        icmp = b'\x00\x00\x00\x00\x12\x34\x00\x07payload'
        ip_header = b'\x45' + b'\x00' * 19
        self.assertEqual((0x1234, 7), pinger.parse_reply(ip_header + icmp))
        # An echo request (the kernel's own traffic) is not an answer.
        self.assertIsNone(pinger.parse_reply(ip_header + b'\x08' +
                                             icmp[1:]))
        self.assertIsNone(pinger.parse_reply(b'\x45'))


class SendTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.sock = self.useFixture(fixtures.MockPatch(
            'socket.socket')).mock.return_value
        self.out = io.StringIO()
        self.pinger = pinger.Pinger(self.out, INTERVAL, timeout=1.0)
        self.pinger.set_targets({'a': '10.0.0.5', 'b': '10.0.0.6'}, 0.0)

    def test_buffers_big_enough_for_guests_still_booting(self):
        sizes = dict((call[0][1], call[0][2])
                     for call in self.sock.setsockopt.call_args_list)
        self.assertGreaterEqual(sizes[pinger._SO_SNDBUFFORCE], 16 << 20)
        self.assertGreaterEqual(sizes[pinger._SO_RCVBUFFORCE], 16 << 20)

    def test_a_probe_that_could_not_be_sent_is_not_lost(self):
        # Both answer at first; then the socket's buffer is full for one
        # round: those probes never left.
        full = OSError(errno.ENOBUFS, 'No buffer space available')
        self.sock.sendto.side_effect = [None, None, full, full, None, None]
        self.sock.recv.side_effect = BlockingIOError
        for round_number in range(3):
            self.pinger.send_round(round_number * INTERVAL)
            for name in ('a', 'b'):
                last = self.pinger._seq[name] - 1
                if self.pinger.tracks[name].pending(last):
                    self.pinger.tracks[name].answer(last)
        self.pinger.settle(5.0)
        self.pinger.write_counts(5.0)
        records = probes.parse(self.out.getvalue().splitlines())
        self.assertEqual([], [r for r in records if r['kind'] == 'gap'])
        summary = probes.window(records, 'a', 0.0, 5.0, INTERVAL)
        self.assertEqual((0, 2, 1, errno.ENOBUFS),
                         (summary.lost, summary.answered, summary.unsent,
                          summary.unsent_errno))


class TargetsTest(testtools.TestCase):

    def _targets(self, text):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 't')
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_names_and_addresses(self):
        self.assertEqual(
            {'ops-base-00': '10.197.240.5', 'ops-1-0': '10.197.240.6'},
            pinger.read_targets(self._targets(
                '# the job\nops-base-00 10.197.240.5\n\n'
                'ops-1-0 10.197.240.6\n')))
        self.assertEqual({}, pinger.read_targets('/nonexistent/targets'))

    def test_a_line_that_is_not_a_target(self):
        path = self._targets('10.197.240.5\n')
        exc = self.assertRaises(ValueError, pinger.read_targets, path)
        self.assertIn('%s:1: not "NAME ADDRESS"' % path, str(exc))


def _reply(ident, seq):
    icmp = struct.pack('!BBHHH', 0, 0, 0, ident, seq)
    return b'\x45' + b'\x00' * 19 + icmp


class PingerTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.sock = self.useFixture(fixtures.MockPatch(
            'socket.socket')).mock.return_value
        self.out = io.StringIO()
        self.pinger = pinger.Pinger(self.out, 0.01, 1.0)

    def _answer(self, *names):
        self.sock.recv.side_effect = [
            _reply(self.pinger._ident[name], self.pinger._seq[name] - 1)
            for name in names] + [BlockingIOError()]

    def test_each_guest_by_its_name(self):
        self.pinger.set_targets({'a': '10.0.0.5', 'b': '10.0.0.6'}, 0.0)
        self.pinger.send_round(0.0)
        self.assertEqual(
            [('10.0.0.5', 0), ('10.0.0.6', 0)],
            sorted(c.args[1] for c in self.sock.sendto.call_args_list))
        self._answer('b')
        self.pinger.settle(2.0)
        self.assertEqual(1, self.pinger.tracks['b'].answered)
        self.assertEqual(0, self.pinger.tracks['a'].answered)

    def test_an_address_taken_over_is_another_guest(self):
        # A deleted server's address, given to the next one: the new
        # guest's probes start from nothing, and the old one's counters
        # are written as they ended.
        self.pinger.set_targets({'old': '10.0.0.5'}, 0.0)
        self.pinger.send_round(0.0)
        self._answer('old')
        self.pinger.settle(0.5)
        self.pinger.set_targets({'new': '10.0.0.5'}, 1.0)
        self.assertEqual(['new'], list(self.pinger.tracks))
        self.assertEqual(0, self.pinger.tracks['new'].sent)
        records = probes.parse(self.out.getvalue().splitlines())
        self.assertEqual([('old', 1)],
                         [(r['guest'], r['answered']) for r in records])
