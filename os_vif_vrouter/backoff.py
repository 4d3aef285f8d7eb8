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

"""Bounded waits with exponential backoff.

The clock and the sleep are parameters so that tests check the schedule
without waiting.
"""

import time
import typing as ty

INITIAL_DELAY = 0.05
MAX_DELAY = 2.0


class GaveUp(Exception):
    """The wait ran out; callers turn this into their own typed error.

    :ivar waited: seconds waited
    :ivar last_error: the last exception retried on, or None
    """

    def __init__(self, waited: float,
                 last_error: ty.Optional[BaseException] = None) -> None:
        super().__init__('gave up after %.1f s' % waited)
        self.waited = waited
        self.last_error = last_error


def _delays(initial: float, maximum: float) -> ty.Iterator[float]:
    delay = initial
    while True:
        yield delay
        delay = min(delay * 2, maximum)


Clock = ty.Optional[ty.Callable[[], float]]
Sleep = ty.Optional[ty.Callable[[float], None]]
T = ty.TypeVar('T')


def retry(func: ty.Callable[[], T],
          retry_on: ty.Union[ty.Type[BaseException],
                             ty.Tuple[ty.Type[BaseException], ...]],
          timeout: float, initial: float = INITIAL_DELAY,
          maximum: float = MAX_DELAY, clock: Clock = None,
          sleep: Sleep = None) -> ty.Tuple[T, float]:
    """Call func() until it does not raise retry_on, for timeout seconds.

    Sleeps initial, 2*initial, ... up to maximum between attempts, never
    past the deadline; a last attempt is made at the deadline.

    :returns: (func's result, seconds waited)
    :raises: GaveUp (with the last error) when timeout has passed;
        whatever func raises other than retry_on, at once
    """
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    start = clock()
    delays = _delays(initial, maximum)
    while True:
        try:
            return func(), clock() - start
        except retry_on as exc:
            waited = clock() - start
            remaining = timeout - waited
            if remaining <= 0:
                raise GaveUp(waited, exc) from exc
            sleep(min(next(delays), remaining))


def wait_for(predicate: ty.Callable[[], bool], timeout: float,
             initial: float = INITIAL_DELAY, maximum: float = MAX_DELAY,
             clock: Clock = None, sleep: Sleep = None) -> float:
    """Wait until predicate() is true, for at most timeout seconds.

    :returns: seconds waited
    :raises: GaveUp when timeout has passed
    """
    class _NotYet(Exception):
        pass

    def check() -> None:
        if not predicate():
            raise _NotYet()

    _result, waited = retry(check, _NotYet, timeout, initial, maximum,
                            clock, sleep)
    return waited
