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

"""The plugin's one privsep context.

Capabilities: CAP_NET_ADMIN only.

- Setting a representor up or down (SIOCSIFFLAGS) needs CAP_NET_ADMIN.
- The other privileged work writes files that root owns: the agent's port
  files (/var/lib/contrail/ports, created by the agent, which runs as
  root) and /proc/sys/net/ipv6/conf/<dev>/disable_ipv6.  The privsep
  daemon keeps uid 0 (we set no [os_vif_vrouter_privileged] user), so the
  owner's permission bits grant that: CAP_DAC_OVERRIDE, which would let it
  write any file on the host, is not needed.  An integration test starts
  the real daemon (as root) and checks both halves: it writes a root-owned
  port directory, and it cannot write one that root does not own.
"""

from oslo_privsep import capabilities as caps
from oslo_privsep import priv_context

CAPABILITIES = (caps.CAP_NET_ADMIN,)

vif_plug = priv_context.PrivContext(
    'os_vif_vrouter',
    cfg_section='os_vif_vrouter_privileged',
    pypath=__name__ + '.vif_plug',
    capabilities=list(CAPABILITIES),
)
