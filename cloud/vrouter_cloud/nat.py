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

"""Floating IPs: one-to-one NAT in a router's namespace (nftables).

The vRouter translates a floating IP to its fixed IP (on the node that
hosts the server, or at the gateway); here the namespace of the router
of the fixed IP's network does it (``router_namespace``):
what reaches the floating IP goes to the fixed one, and what the server
sends out through the uplink leaves from its floating IP.  Anything
else a guest sends out leaves from the uplink's address, as through a
Neutron router's SNAT, since fixed IPs of different networks may be the
same.  The whole table is replaced in one ``nft`` transaction whenever
the set changes, so no packet sees half a table.
"""

import logging
import subprocess

LOG = logging.getLogger(__name__)

TABLE = 'vrcloud_fip'


def ruleset(floating_ips, uplink):
    """The nft script for {(floating address, fixed address)}.

    :param uplink: the device towards the floating IPs' network
    """
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
            fixed, uplink, floating))
    lines += ['    oifname "%s" masquerade' % uplink,
              '  }', '}', '']
    return '\n'.join(lines)


class FloatingIPs(object):
    """The NAT table of a namespace, kept equal to a set.

    :param namespace: the network namespace
    :param uplink: its device towards the floating IPs' network
    """

    def __init__(self, namespace, uplink):
        self.namespace = namespace
        self.uplink = uplink
        self._current = None

    def update(self, floating_ips):
        """:param floating_ips: {(floating address, fixed address)}"""
        if floating_ips == self._current:
            return
        # "table" then "delete table": the first makes sure there is one
        # to delete, so the same script serves the first time too.
        result = subprocess.run(['ip', 'netns', 'exec', self.namespace,
                                 'nft', '-f', '-'],
                                input=ruleset(floating_ips, self.uplink),
                                text=True,
                                capture_output=True, check=False)
        if result.returncode != 0:
            raise RuntimeError('nft: %s' % result.stderr.strip())
        self._current = set(floating_ips)
        LOG.info('%s: floating IPs: %s', self.namespace, ', '.join(
            '%s->%s' % pair for pair in sorted(floating_ips)) or 'none')
