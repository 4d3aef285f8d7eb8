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

"""What several services' modules share: management commands' logs."""

import subprocess

from vrouter_cloud import procs


def manage(layout, log_name, argv):
    """Run a management command of the virtualenv; its log is log_name's.
    """
    with open(layout.log(log_name), 'ab') as log:
        result = subprocess.run([layout.bin(argv[0])] + argv[1:],
                                stdout=log, stderr=subprocess.STDOUT,
                                check=False)
    if result.returncode != 0:
        raise procs.ServiceFailed('%s failed (see %s)' % (
            ' '.join(argv), layout.log(log_name)))
