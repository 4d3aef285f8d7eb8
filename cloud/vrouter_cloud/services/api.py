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

"""An OpenStack API under gunicorn, and the wait until it answers.

The 2026.2 packages ship their WSGI applications as modules and no
launchers; ``vrouter_cloud.wsgi`` loads the module named in the
environment.  One worker with threads is enough for this cloud; gunicorn
27 needs ``--no-control-socket`` or every instance shares one socket in
the home directory.
"""

import os
import time
import urllib.error
import urllib.request

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import procs

READY_TIMEOUT = 120.0

# How long gunicorn keeps an idle client connection open.  Its default,
# 2 s, is the interval at which openstacksdk polls a server it waits for:
# a poll sent on a pooled connection just as gunicorn closes it fails
# with "Remote end closed connection without response" (the operations
# job lost a run to it, 2026-12-07).  The cloud's clients poll every few
# seconds: with 75 s they find their connection open, or long closed
# (urllib3 then sees it closed and opens another one).
KEEP_ALIVE = 75

_CLOUD_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def start(layout, processes, name, module, port_name, env):
    """Serve the WSGI application of module as service name."""
    env = dict(env, VRCLOUD_WSGI_APP=module, PYTHONPATH=_CLOUD_PACKAGE_DIR)
    processes.start(name, [
        layout.bin('gunicorn'), '--no-control-socket',
        '--bind', '%s:%d' % (cloud_layout.CONTROL_ADDRESS,
                             layout.port(port_name)),
        '--workers', '1', '--worker-class', 'gthread', '--threads', '8',
        '--timeout', '600', '--graceful-timeout', '5',
        '--keep-alive', str(KEEP_ALIVE),
        '--access-logfile', '-', '--error-logfile', '-',
        'vrouter_cloud.wsgi:application'], env=env)


def wait(layout, processes, name, port_name, timeout=READY_TIMEOUT):
    """Wait until the API of service name answers HTTP (any status)."""
    url = layout.url(port_name, '/')
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive(name)
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise procs.ServiceFailed('%s does not answer at %s after %d s' % (
        name, url, timeout))
