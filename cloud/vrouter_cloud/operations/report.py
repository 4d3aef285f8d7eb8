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

"""What each scenario found, whether it met its goals, and the table.

A scenario fills in a :class:`Result`; :func:`judge` adds the failures
the goals every scenario shares make (no lost, stale, missing or
duplicate registration, file or domain; no unexpected ERROR server; no
drift in the audit; and, where the scenario sets one, no ping gap above
its limit) to the scenario's own; :func:`table` prints them all.
"""

import statistics

HEADER = ('scenario', 'servers', 'gap median', 'gap max', 'pkts lost',
          'lost reg', 'stale', 'ERROR', 'audit', 'result')


class Result(object):
    """What one scenario found (each of its checks adds to it).

    :ivar number: the scenario's number
    :ivar title: a few words
    :ivar gap_limit: the longest ping gap allowed, or None
    :ivar gaps: {guest: its longest ping gap (seconds)}: the servers it
        pinged
    :ivar packets_lost: probes lost, all guests
    :ivar differences: the nodes' disagreements with Nova and Neutron,
        a set of (kind, subject, host) (``agreement.KINDS``)
    :ivar errors: {server id: (expected, its fault)} of servers in ERROR;
        expected when the scenario provokes it and the fault names why
    :ivar drift: vrouter-port-audit's findings of drift, a set of
        (node, kind, port or detail)
    :ivar notes: what else it measured, one line each
    :ivar failures: why it failed, one line each
    """

    def __init__(self, number, title, gap_limit=None):
        self.number = number
        self.title = title
        self.gap_limit = gap_limit
        self.gaps = {}
        self.packets_lost = 0
        self.differences = set()
        self.errors = {}
        self.drift = set()
        self.notes = []
        self.failures = []

    @property
    def servers(self):
        return len(self.gaps)

    def count(self, kind):
        return sum(1 for d in self.differences if d[0] == kind)

    @property
    def lost_registrations(self):
        return self.count('lost-registration')

    @property
    def stale(self):
        """Stale registrations, files, domains and sockets."""
        return sum(1 for d in self.differences if d[0].startswith('stale-'))

    @property
    def errors_expected(self):
        return sum(1 for expected, _ in self.errors.values() if expected)

    @property
    def errors_unexpected(self):
        return len(self.errors) - self.errors_expected

    @property
    def passed(self):
        return not self.failures

    def add_gap(self, guest, seconds):
        self.gaps[guest] = max(seconds, self.gaps.get(guest, 0.0))

    def gap_median(self):
        return statistics.median(self.gaps.values()) if self.gaps else None

    def gap_max(self):
        return max(self.gaps.values()) if self.gaps else None


def judge(result):
    """Add the shared goals' failures to result.failures; result."""
    for kind in sorted(set(d[0] for d in result.differences)):
        result.failures.append('%d %s' % (result.count(kind), kind))
    if result.errors_unexpected:
        result.failures.append('%d servers in ERROR unexpectedly' %
                               result.errors_unexpected)
    if result.drift:
        result.failures.append('vrouter-port-audit: %d findings of drift' %
                               len(result.drift))
    if result.gap_limit is not None:
        over = sorted(guest for guest, gap in result.gaps.items()
                      if gap > result.gap_limit)
        if over:
            result.failures.append(
                'ping gap above %d ms: %s' % (
                    result.gap_limit * 1000, ', '.join(
                        '%s %d ms' % (guest, result.gaps[guest] * 1000)
                        for guest in over)))
    return result


def _ms(seconds):
    return '-' if seconds is None else '%d ms' % round(seconds * 1000)


def row(result):
    errors = str(result.errors_unexpected)
    if result.errors_expected:
        errors += ' (+%d expected)' % result.errors_expected
    return ('%d %s' % (result.number, result.title), str(result.servers),
            _ms(result.gap_median()), _ms(result.gap_max()),
            str(result.packets_lost), str(result.lost_registrations),
            str(result.stale), errors,
            'clean' if not result.drift else '%d drift' % len(result.drift),
            'passed' if result.passed else 'FAILED')


def table(results):
    """The table's lines, then the count line."""
    rows = [HEADER] + [row(result) for result in results]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = ['  '.join(cell.ljust(width) if i == 0 else cell.rjust(width)
                       for i, (cell, width) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, '  '.join('-' * width for width in widths))
    passed = sum(1 for result in results if result.passed)
    lines.append('%d scenarios passed, %d failed' % (
        passed, len(results) - passed))
    return lines
