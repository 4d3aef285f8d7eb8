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

"""RabbitMQ from Debian's package, with an Erlang port mapper of its own.

It listens on the management address (the nodes' nova-compute reach it
there, as the guest account, which may log in from there), its Erlang
distribution and ``epmd`` on 127.0.0.1, all on the
cloud's ports; ``epmd`` runs in the foreground as a service of its own
so that ``down`` stops it by its pid.
"""

import os

from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import procs

NAME = 'rabbitmq'
EPMD = 'epmd'


def _env(layout):
    base = layout.data('rabbitmq')
    return {
        'HOME': base,
        'RABBITMQ_NODENAME': cloud_layout.NAME + '@localhost',
        'RABBITMQ_NODE_IP_ADDRESS': cloud_layout.CONTROL_ADDRESS,
        'RABBITMQ_NODE_PORT': str(layout.port('rabbit')),
        'RABBITMQ_DIST_PORT': str(layout.port('rabbit_dist')),
        'ERL_EPMD_ADDRESS': '127.0.0.1',
        'ERL_EPMD_PORT': str(layout.port('epmd')),
        'RABBITMQ_MNESIA_BASE': os.path.join(base, 'mnesia'),
        'RABBITMQ_LOG_BASE': layout.path('log', 'rabbitmq'),
        'RABBITMQ_LOGS': '-',
        'RABBITMQ_PID_FILE': os.path.join(base, 'rabbitmq.pid'),
        'RABBITMQ_CONFIG_FILE': os.path.join(base, 'rabbitmq'),
        'RABBITMQ_ENABLED_PLUGINS_FILE': os.path.join(base,
                                                      'enabled_plugins'),
    }


def start(layout, processes):
    env = _env(layout)
    os.makedirs(env['RABBITMQ_MNESIA_BASE'], exist_ok=True)
    os.makedirs(env['RABBITMQ_LOG_BASE'], exist_ok=True)
    with open(env['RABBITMQ_ENABLED_PLUGINS_FILE'], 'w') as f:
        f.write('[].\n')
    # The nodes' services log in from their own addresses: the guest
    # account must not be limited to loopback.
    with open(env['RABBITMQ_CONFIG_FILE'] + '.conf', 'w') as f:
        f.write('loopback_users = none\n')
    processes.start(EPMD, ['epmd', '-port', str(layout.port('epmd')),
                           '-address', '127.0.0.1'], env=env)
    procs.wait_port(processes, EPMD, '127.0.0.1', layout.port('epmd'))
    processes.start(NAME, ['/usr/lib/rabbitmq/bin/rabbitmq-server'],
                    env=env)
    procs.wait_port(processes, NAME, cloud_layout.CONTROL_ADDRESS,
                    layout.port('rabbit'))
