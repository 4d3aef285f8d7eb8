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

from os_vif_vrouter import backoff
from os_vif_vrouter.tests import base


class FakeTime(object):
    """A clock that only moves when slept."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class Refused(Exception):
    pass


class TestRetry(base.TestCase):

    def setUp(self):
        super().setUp()
        self.time = FakeTime()

    def _retry(self, func, timeout, **kwargs):
        return backoff.retry(func, Refused, timeout, clock=self.time.clock,
                             sleep=self.time.sleep, **kwargs)

    def test_first_try(self):
        self.assertEqual(('ok', 0.0), self._retry(lambda: 'ok', 10))
        self.assertEqual([], self.time.sleeps)

    def test_exponential_then_capped(self):
        calls = []

        def func():
            calls.append(self.time.now)
            if len(calls) < 8:
                raise Refused()
            return 'up'

        result, waited = self._retry(func, 60, initial=0.1, maximum=1.0)
        self.assertEqual('up', result)
        self.assertEqual([0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0],
                         [round(s, 6) for s in self.time.sleeps])
        self.assertAlmostEqual(4.5, waited)

    def test_gives_up_at_the_deadline(self):
        def func():
            raise Refused('still down')

        exc = self.assertRaises(backoff.GaveUp, self._retry, func, 1.0,
                                initial=0.3, maximum=10)
        # 0.3 + 0.6, then only what is left of the second: never past it.
        self.assertEqual([0.3, 0.6], [round(s, 6) for s in
                                      self.time.sleeps[:2]])
        self.assertAlmostEqual(1.0, sum(self.time.sleeps))
        self.assertAlmostEqual(1.0, exc.waited)
        self.assertIsInstance(exc.last_error, Refused)

    def test_zero_timeout_tries_once(self):
        calls = []

        def func():
            calls.append(1)
            raise Refused()

        self.assertRaises(backoff.GaveUp, self._retry, func, 0)
        self.assertEqual([1], calls)

    def test_other_errors_not_retried(self):
        def func():
            raise ValueError('bad')

        self.assertRaises(ValueError, self._retry, func, 10)
        self.assertEqual([], self.time.sleeps)


class TestWaitFor(base.TestCase):

    def test_wait_for(self):
        fake = FakeTime()
        states = iter([False, False, True])
        waited = backoff.wait_for(lambda: next(states), 10, initial=0.5,
                                  clock=fake.clock, sleep=fake.sleep)
        self.assertEqual(1.5, waited)

    def test_timeout(self):
        fake = FakeTime()
        self.assertRaises(backoff.GaveUp, backoff.wait_for, lambda: False,
                          2, clock=fake.clock, sleep=fake.sleep)
