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

"""A node's vRouter agent: the project's stand-in with a kernel datapath.

    python -m vrouter_cloud.agent --local ADDRESS --peer ADDRESS
        [--peer ...] [--port 9091] [--cloud NAME]
        [--dpdk-root ROOT --forwarder-logs DIR] PORT_DIR

Runs in the node's namespaces (Node).  Serves the agent's REST port API
on every address of the node, port 9091, as the real agent does (the
strict stand-in, ``vrouter_testing.agent_stand_in``), replaying the
port files of PORT_DIR at start, and gives the ports it has a datapath
(``vrouter_cloud.datapath``), asking Neutron (through the ``clouds.yaml``
entry NAME, as admin) for their networks.  Prints ``listening <port>``
once the listener is open.  On SIGTERM it stops and leaves the datapath
as it is, as the kernel module outlives a real agent.  Every request is
logged with its answer, and each port file the replay skipped with why
(``replay skipped <file>: <reason>``).

With ``--dpdk-root`` it is a DPDK node's agent: its vhost-user ports get a
forwarder each (``vrouter_cloud.vhostuser_plane``), run in ROOT, with
their output in DIR, and it replays every port file at start, as a
DPDK-mode agent does: only a kernel-mode agent skips a port whose device
does not exist, and a vhost-user port has no device of its name.  Its
forwarders stop with it.
"""

import argparse
import logging
import signal
import sys
import threading

import openstack
from vrouter_testing import agent_stand_in
from vrouter_testing import iproute

from vrouter_cloud import datapath
from vrouter_cloud import dpdk_node
from vrouter_cloud import layout as cloud_layout
from vrouter_cloud import neutron_view
from vrouter_cloud import vhostuser_plane


class _LoggingStandIn(agent_stand_in.AgentStandIn):
    """The stand-in, with each request in the log (for failed runs)."""

    def _log(self, method, path, status):
        super()._log(method, path, status)
        logging.getLogger('agent').info('%s %s -> %d', method, path, status)

    def _add(self, port_id, obj, text, write_file):
        # Every port ever registered is named in the log: the end-of-run
        # check asks the agent about each of them.
        super()._add(port_id, obj, text, write_file)
        logging.getLogger('agent').info('registered %s', port_id)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('port_dir')
    parser.add_argument('--port', type=int, default=cloud_layout.AGENT_PORT)
    parser.add_argument('--local', required=True,
                        help='the node\'s underlay address')
    parser.add_argument('--peer', action='append', default=[],
                        help='the underlay address of the gateway or '
                             'another node')
    parser.add_argument('--cloud', default='vrcloud-admin')
    parser.add_argument('--dpdk-root',
                        help='a DPDK vRouter: testpmd forwards each '
                             'vhost-user port, in this root (QEMU\'s)')
    parser.add_argument('--forwarder-logs',
                        help='with --dpdk-root: the forwarders\' output')
    args = parser.parse_args(argv)
    if args.dpdk_root and not args.forwarder_logs:
        parser.error('--dpdk-root needs --forwarder-logs')
    logging.basicConfig(
        level=logging.INFO, stream=sys.stdout,
        format='%(asctime)s %(levelname)s %(name)s %(message)s')
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    neutron = neutron_view.Neutron(openstack.connect(cloud=args.cloud))
    vhostuser = None
    if args.dpdk_root:
        vhostuser = vhostuser_plane.VhostUserPlane(
            dpdk_node.chroot_argv(args.dpdk_root), args.forwarder_logs,
            iproute.netdev_exists)
    with _LoggingStandIn(args.port_dir, host='0.0.0.0', port=args.port,
                         check_devices=vhostuser is None) as agent:
        kernel = datapath.KernelDatapath(agent, neutron, args.local,
                                         args.peer, vhostuser=vhostuser)
        # The datapath follows the agent's ports: it starts once the port
        # files are replayed, or its first round would find no port and
        # take every running guest's tap off its segment.
        agent.start()
        # A file skipped now stays skipped (on a kernel node its tap did
        # not exist yet; on any node it does not parse): say which, the
        # log is what an operator has.
        for name, reason in agent.replay_skipped:
            logging.getLogger('agent').info('replay skipped %s: %s', name,
                                            reason)
        kernel.start()
        try:
            print('listening %d' % agent.port, flush=True)
            stop.wait()
        finally:
            kernel.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
