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

"""Ping probes of one guest, and what they say of its network.

The pinger (``pinger``) sends each guest an ICMP echo every interval and
hands each send and each answer to the guest's :class:`ProbeTrack`, which
settles the probes in the order they were sent: a probe is answered, or
lost once no answer came within the timeout.  A run of lost probes
between two answered ones is a :class:`Gap`: from the send time of the
last answered probe before it to the send time of the first answered one
after it, the time the guest was seen cut off.  Times are the send times,
so a pinger that was not scheduled for a while (a busy machine) sends
nothing then and loses nothing: only probes that went out and came back
unanswered make a gap.  Until a guest first answers (it is still
booting), its unanswered probes are not losses.

The pinger writes what the tracks find as JSON lines (:func:`gap_record`,
:func:`count_record`); :func:`window` reads them back for one stretch of
time (a scenario).
"""

import collections
import json

Gap = collections.namedtuple('Gap', 'start end lost')
Gap.__doc__ = """A run of lost probes: start and end are the send times of
the answered probes around it (start is the first lost probe's when the
guest had not answered before); lost is how many there were."""

GAP = 'gap'
COUNT = 'count'


class ProbeTrack(object):
    """The probes of one guest (see the module doc).

    :param timeout: seconds after which an unanswered probe is lost
    """

    def __init__(self, timeout):
        self.timeout = timeout
        self._pending = collections.OrderedDict()  # seq -> [sent, answered]
        self.sent = 0
        self.answered = 0
        self.lost = 0
        self.unsent = 0  # probes the pinger could not send
        self.unsent_errno = None  # why the last of them was not sent
        self.unanswered_before_first = 0
        self.first_answer = None  # send time of the first answered probe
        self.last_answer = None  # send time of the last answered probe
        self._run = []  # send times of the lost probes of the open run

    def send(self, seq, at):
        """A probe went out at time at (seq: any number, increasing)."""
        self._pending[seq] = [at, False]
        self.sent += 1

    def unsent_probe(self, errno):
        """A probe could not be sent (errno says why): not a probe."""
        self.unsent += 1
        self.unsent_errno = errno

    def answer(self, seq):
        """Its answer came; False if the probe is unknown or settled."""
        probe = self._pending.get(seq)
        if probe is None or probe[1]:
            return False
        probe[1] = True
        return True

    def pending(self, seq):
        return seq in self._pending

    def settle(self, now):
        """Settle the probes whose fate is known, in send order.

        :returns: the gaps that closed
        """
        gaps = []
        while self._pending:
            seq, (sent, answered) = next(iter(self._pending.items()))
            if not answered and now - sent < self.timeout:
                break  # its answer may still come
            del self._pending[seq]
            if answered:
                self.answered += 1
                if self._run:
                    start = (self.last_answer if self.last_answer is not None
                             else self._run[0])
                    gaps.append(Gap(start, sent, len(self._run)))
                    self._run = []
                if self.first_answer is None:
                    self.first_answer = sent
                self.last_answer = sent
            elif self.first_answer is None:
                self.unanswered_before_first += 1
            else:
                self.lost += 1
                self._run.append(sent)
        return gaps

    @property
    def open_lost(self):
        """Lost probes since the last answer (an outage still going on)."""
        return len(self._run)


def gap_record(guest, gap, now):
    return json.dumps({'kind': GAP, 't': now, 'guest': guest,
                       'start': gap.start, 'end': gap.end,
                       'lost': gap.lost})


def count_record(guest, track, now):
    return json.dumps({'kind': COUNT, 't': now, 'guest': guest,
                       'sent': track.sent, 'answered': track.answered,
                       'lost': track.lost, 'open_lost': track.open_lost,
                       'unsent': track.unsent,
                       'unsent_errno': track.unsent_errno,
                       'first_answer': track.first_answer,
                       'last_answer': track.last_answer})


def parse(lines):
    """The records of the pinger's output (partial last line ignored)."""
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


Summary = collections.namedtuple(
    'Summary', 'guest longest lost answered first_answer last_answer '
               'outages unsent unsent_errno')
Summary.__doc__ = """One guest over a window: its longest gap (seconds; the
probe interval when nothing was lost), the probes lost, answered, the
send times of its first and last answered probes seen so far (None if
it never answered), its gaps that overlap the window, an outage still
open at the window's end included (as a Gap whose end is None), and the
probes the pinger could not send (with the errno of the last)."""


def window(records, guest, start, end, interval):
    """What a guest's probes say between start and end.

    Counts are the difference between the last count record at or before
    start and the last one at or before end (the pinger writes one a
    second per guest, so read a second after end).

    :returns: a Summary, or None if the guest had no probe in the window
    """
    before = after = None
    outages = []
    for record in records:
        if record.get('guest') != guest:
            continue
        if record['kind'] == COUNT:
            if record['t'] <= start:
                before = record
            if record['t'] <= end:
                after = record
        elif record['kind'] == GAP:
            if record['end'] >= start and record['start'] <= end:
                outages.append(Gap(record['start'], record['end'],
                                   record['lost']))
    if after is None or (before is not None and
                         after['sent'] == before['sent']):
        return None
    lost = after['lost'] - (before['lost'] if before else 0)
    # Older records have no unsent count.
    unsent = after.get('unsent', 0) - (before.get('unsent', 0)
                                       if before else 0)
    answered = after['answered'] - (before['answered'] if before else 0)
    if after['open_lost'] and after['last_answer'] is not None:
        outages.append(Gap(after['last_answer'], None, after['open_lost']))
    longest = interval
    for gap in outages:
        longest = max(longest, (gap.end if gap.end is not None else end) -
                      gap.start)
    return Summary(guest, longest, lost, answered, after['first_answer'],
                   after['last_answer'], outages, unsent,
                   after.get('unsent_errno'))


def back_after(records, guest, since):
    """When a guest answered again after an outage that went on at since:
    the end of its first gap that ends at or after since, or None.
    """
    ends = [record['end'] for record in records
            if record.get('guest') == guest and record['kind'] == GAP and
            record['end'] >= since]
    return min(ends) if ends else None
