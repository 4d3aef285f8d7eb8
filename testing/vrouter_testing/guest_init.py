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

"""What the guest's /init reads from the kernel command line and reports
on its serial console.

The init is ``testing/guest/init`` (its header lists every report);
``tools/vrtools/guest.py`` builds the guest around it, for the
functional suite and the test cloud alike.
"""

import shlex

# Every report line starts with this.
REPORT_PREFIX = 'VRGUEST '

# The guest loads no module and leaves its NIC alone (vhost-user under
# TCG: driving the rings crashes QEMU 7.2).
NO_NETWORK = 'vrguest.net=none'


def network_args(address, prefix_length, gateway):
    """Kernel command line words giving eth0 its address: the guest
    reports its NIC and pings the gateway.
    """
    return ['vrguest.ip=' + address, 'vrguest.prefix=%d' % prefix_length,
            'vrguest.gw=' + gateway]


class Report(object):
    """One report line: 'VRGUEST <event> [words] [key=value...]'.

    :ivar event: the first word ('booted', 'nic', 'ping', ...)
    :ivar words: the other words without '='
    :ivar values: the key=value words, as a dict
    """

    def __init__(self, line):
        fields = shlex.split(line[len(REPORT_PREFIX):])
        self.event = fields[0]
        self.words = [f for f in fields[1:] if '=' not in f]
        self.values = dict(f.split('=', 1) for f in fields[1:] if '=' in f)

    def __repr__(self):
        return 'Report(%s %s %s)' % (self.event, self.words, self.values)


def reports(console, event=None):
    """The reports in a console's text (whole lines only: the last one
    may still be on its way), of one event or all.
    """
    lines = [line.strip() for line in console.splitlines(keepends=True)
             if line.endswith('\n')]
    found = [Report(line) for line in lines
             if line.startswith(REPORT_PREFIX)]
    return [r for r in found if event is None or r.event == event]
