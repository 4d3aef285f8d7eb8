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

"""Floating IPs: one-to-one NAT in the gateway namespace (nftables).

The vRouter translates a floating IP to its fixed IP (on the node that
hosts the server, or at the gateway); here the gateway namespace does it
for every floating IP Neutron has given to a fixed IP: what reaches the
floating IP goes to the fixed one, and what the server sends out through
the management network leaves from its floating IP.  The whole table is
replaced in one ``nft`` transaction whenever the set changes, so no
packet sees half a table.
"""

import logging
import subprocess

from vrouter_cloud import layout as cloud_layout

LOG = logging.getLogger(__name__)

TABLE = 'vrcloud_fip'


def ruleset(floating_ips):
    """The nft script for {(floating address, fixed address)}."""
    lines = ['table ip %s' % TABLE, 'delete table ip %s' % TABLE,
             'table ip %s {' % TABLE,
             '  chain prerouting {',
             '    type nat hook prerouting priority dstnat; policy accept;']
    for floating, fixed in sorted(floating_ips):
        lines.append('    ip daddr %s dnat to %s' % (floating, fixed))
    lines += ['  }',
              '  chain postrouting {',
              '    type nat hook postrouting priority srcnat; '
              'policy accept;']
    for floating, fixed in sorted(floating_ips):
        lines.append('    ip saddr %s oifname "%s" snat to %s' % (
            fixed, cloud_layout.UNDERLAY_DEVICE, floating))
    lines += ['  }', '}', '']
    return '\n'.join(lines)


class FloatingIPs(object):
    """The NAT table of the caller's namespace, kept equal to a set."""

    def __init__(self):
        self._current = None

    def update(self, floating_ips):
        """:param floating_ips: {(floating address, fixed address)}"""
        if floating_ips == self._current:
            return
        # "table" then "delete table": the first makes sure there is one
        # to delete, so the same script serves the first time too.
        result = subprocess.run(['nft', '-f', '-'],
                                input=ruleset(floating_ips), text=True,
                                capture_output=True, check=False)
        if result.returncode != 0:
            raise RuntimeError('nft: %s' % result.stderr.strip())
        self._current = set(floating_ips)
        LOG.info('floating IPs: %s', ', '.join(
            '%s->%s' % pair for pair in sorted(floating_ips)) or 'none')
