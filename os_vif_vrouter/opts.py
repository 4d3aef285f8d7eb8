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

"""Configuration options of the vRouter os-vif plugin.

All live in the ``[os_vif_vrouter]`` group, whichever of the plugin's two
names (``vrouter``, ``contrail_vrouter``) os-vif loads.  The privileged
helper has its own group, ``[os_vif_vrouter_privileged]`` (oslo.privsep's
options).
"""

import copy
import typing as ty

from oslo_config import cfg
from oslo_privsep import capabilities
from oslo_privsep import priv_context

from os_vif_vrouter import constants

agent_opts = [
    cfg.HostAddressOpt(
        'agent_host',
        default=constants.DEFAULT_AGENT_HOST,
        help='Address of the vRouter agent\'s REST port API. The agent '
             'listens on every address of the compute node; the loopback '
             'address is the usual choice.'),
    cfg.PortOpt(
        'agent_port',
        default=constants.DEFAULT_AGENT_PORT,
        help='TCP port of the vRouter agent\'s REST port API.'),
    cfg.BoolOpt(
        'agent_listener_check',
        default=True,
        help='Before using a connection to the agent, check in the '
             'kernel\'s socket tables that the socket which accepted it '
             'belongs to agent_listener_uid. The agent\'s port API is an '
             'unprivileged TCP port without authentication: while the '
             'agent is down, any local user could listen on it and receive '
             'every registration, or answer a DPDK plug. Turn it off only '
             'if the agent runs in another network namespace than '
             'nova-compute.'),
    cfg.IntOpt(
        'agent_listener_uid',
        default=0,
        min=0,
        help='The uid the vRouter agent runs as (root) for '
             'agent_listener_check.'),
    cfg.FloatOpt(
        'agent_connect_timeout',
        default=2.0,
        min=0.01,
        help='Seconds to wait for the TCP connection to the agent. A '
             'stopped agent refuses the connection at once; this bounds '
             'the wait when it cannot even do that.'),
    cfg.FloatOpt(
        'agent_read_timeout',
        default=10.0,
        min=0.01,
        help='Seconds to wait for the agent to answer one request. When '
             'it expires the plug or unplug fails with a timeout error.'),
    cfg.FloatOpt(
        'vhostuser_agent_wait',
        default=constants.CLASSIC_AGENT_WAIT,
        min=0,
        help='DPDK (vhost-user) ports cannot be plugged without the '
             'agent: seconds to wait for it to accept connections '
             '(retrying with exponential backoff) before the plug fails.'),
    cfg.FloatOpt(
        'agent_down_memory',
        default=60.0,
        min=0,
        help='After a wait for the agent (vhostuser_agent_wait) gave up, '
             'for this many seconds the next DPDK plugs try the agent once '
             'and fail at once if it still refuses connections, instead of '
             'waiting again: when nova-compute starts with the agent down, '
             'it re-plugs its DPDK ports one after the other, and its start '
             'would take one whole wait per port. The memory ends as soon '
             'as the agent answers. 0 waits every time.'),
    cfg.FloatOpt(
        'vhostuser_socket_wait',
        default=constants.CLASSIC_SOCKET_WAIT,
        min=0,
        help='When the vRouter is the vhost-user server (os-vif mode '
             '"client"), seconds to wait for it to create the socket '
             'after the port is registered.'),
]

host_opts = [
    cfg.StrOpt(
        'port_dir',
        default=constants.DEFAULT_PORT_DIR,
        help='Directory of the agent\'s port files. The agent replays '
             'every file in it when it starts, so a port registered while '
             'the agent is down is picked up when it comes back.'),
    cfg.StrOpt(
        'representor_map',
        default=constants.DEFAULT_REPRESENTOR_MAP,
        help='Vendor map from VF PCI address to representor netdev '
             '(Netronome nfp_vrouter format), read for offloaded ports '
             'when the kernel\'s switchdev attributes do not name the '
             'representor.'),
    cfg.StrOpt(
        'sysfs_root',
        default=constants.DEFAULT_SYSFS_ROOT,
        help='Where the host\'s sysfs is mounted, for finding VF '
             'representors and, in vrouter-port-audit, the network devices '
             'of the ports: /sys, unless nova-compute runs in a container '
             'that mounts it elsewhere (tests point it at a fake tree).'),
]

audit_opts = [
    cfg.FloatOpt(
        'repair_grace_period',
        default=constants.DEFAULT_REPAIR_GRACE_PERIOD,
        min=0,
        help='vrouter-port-audit --repair touches only port files and '
             'temporary files older than this many seconds. Nova plugs a '
             'port before it defines its domain (a spawn, which may wait '
             'vif_plugging_timeout; the destination of a live migration '
             'before the migration starts), so a port file without a '
             'domain may be right for a while. The default covers those '
             'windows many times over.'),
]

ALL_OPTS = agent_opts + host_opts + audit_opts


def listener_uid(group: ty.Any) -> ty.Optional[int]:
    """The uid the agent's listener must belong to, None for no check."""
    return group.agent_listener_uid if group.agent_listener_check else None


def register_opts(conf: cfg.ConfigOpts = cfg.CONF) -> ty.Any:
    """Register the plugin's options in ``[os_vif_vrouter]`` (idempotent).
    """
    group = cfg.OptGroup(constants.CONFIG_GROUP,
                         title='vRouter os-vif plugin options')
    conf.register_opts(ALL_OPTS, group=group)
    return getattr(conf, constants.CONFIG_GROUP)


def list_opts() -> ty.List[ty.Tuple[str, ty.List[cfg.Opt]]]:
    """The options, for oslo-config-generator (namespace os_vif_vrouter)."""
    # The sample shows the capabilities our context keeps, by name (the
    # context sets them as the default at run time).
    from os_vif_vrouter import privsep

    privileged = copy.deepcopy(priv_context.OPTS)
    for opt in privileged:
        if opt.dest == 'capabilities':
            opt.default = [capabilities.CAPS_BYVALUE[cap]
                           for cap in privsep.CAPABILITIES]
    return [
        (constants.CONFIG_GROUP, copy.deepcopy(ALL_OPTS)),
        (constants.PRIVSEP_CONFIG_GROUP, privileged),
    ]
