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

"""Every wait of the cloud-operations job: bounded, and named when it ends.
"""

import time


class TimedOut(Exception):
    """Something the job waited for did not happen in time."""


def wait(what, condition, timeout, interval=0.2):
    """condition()'s first true value, polled every interval seconds.

    :param what: what is waited for, for the error
    :raises: TimedOut naming what, after timeout seconds
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimedOut('%s: not after %d s' % (what, timeout))
        time.sleep(interval)
