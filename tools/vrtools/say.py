# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""How a tool speaks: one line, its name first."""

import sys
import time


class Speaker(object):
    """Lines of one tool, and the wall time of its steps."""

    def __init__(self, name):
        self.name = name
        self._start = time.monotonic()

    def __call__(self, *words):
        print('%s: %s' % (self.name, ' '.join(str(w) for w in words)),
              flush=True)

    def step(self, *words):
        """Say what a step did, with the seconds since the last step."""
        now = time.monotonic()
        self(*words, '%d s' % (now - self._start))
        self._start = now

    def fail(self, message):
        print('%s: %s' % (self.name, message), file=sys.stderr, flush=True)
        return 1
