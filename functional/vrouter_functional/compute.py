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

"""A compute node's vRouter side: its agent and Nova's driver plugging.

The agent is the os-vif plugin's stand-in (a real HTTP server on loopback
with its own port directory, following the agent's port API).  Plugging
goes all the way through: Nova's ``LibvirtVRouterVIFDriver.plug`` ->
``os_vif.plug`` -> the ``os_vif_vrouter`` plugin loaded by os-vif from
its entry points, configured for this node -> the plugin's privsep daemon
(started as rootwrap would start it, minus sudo: the suite runs as root).

Two ComputeHost fixtures in one test are two compute nodes (live
migration): each plug or unplug first loads os-vif's plugins again with
that node's configuration, as that node's nova-compute would have them.
"""

import json
import os
import shutil
import sys
import tempfile

import fixtures
import os_vif
from oslo_config import cfg

import nova.privsep
from nova.virt.libvirt import vif_vrouter

from os_vif_vrouter import locks as plugin_locks
from os_vif_vrouter import opts as plugin_opts
from os_vif_vrouter import privsep as plugin_privsep
from vrouter_testing import agent_stand_in
from vrouter_testing import iproute

from vrouter_functional import nova_guest

CONF = cfg.CONF
# The plugin's options, for both of its names.
PLUGIN_GROUP = 'os_vif_vrouter'

# The privsep daemon's command: privsep-helper of this environment.  Nova
# runs it through sudo and nova-rootwrap; the suite is root already.
PRIVSEP_HELPER = os.path.join(os.path.dirname(sys.executable),
                              'privsep-helper')


class ComputeHost(fixtures.Fixture):
    """One compute node: a stand-in agent, its port directory, and Nova's
    vRouter VIF driver plugging through os-vif with this node's options.

    :param start_agent: start the agent now (else: agent.start() later)
    :param representor_map: the vendor VF -> representor map file
    :ivar agent: the AgentStandIn
    :ivar port_dir: its port directory
    """

    # The node whose configuration os-vif's plugins were last loaded with.
    _loaded = None

    def __init__(self, start_agent=True, representor_map=None):
        super().__init__()
        self.start_agent = start_agent
        self.representor_map = representor_map

    def _setUp(self):
        # The agent's /var/lib/contrail/ports: root's, 0755.
        self.port_dir = tempfile.mkdtemp(prefix='vrouter-functional-ports-')
        self.addCleanup(shutil.rmtree, self.port_dir)
        # nova-compute's [oslo_concurrency] lock_path: the ports' locks.
        self.lock_path = tempfile.mkdtemp(prefix='vrouter-functional-locks-')
        self.addCleanup(shutil.rmtree, self.lock_path)
        self.agent = agent_stand_in.AgentStandIn(self.port_dir)
        self.addCleanup(self.agent.close)
        if self.start_agent:
            self.agent.start()
        self.driver = vif_vrouter.LibvirtVRouterVIFDriver()
        self.addCleanup(self._forget)

    def _forget(self):
        if ComputeHost._loaded is self:
            ComputeHost._loaded = None

    def _load_plugins(self):
        """Load os-vif's plugins with this node's configuration."""
        if ComputeHost._loaded is self:
            return
        plugin_opts.register_opts(CONF)
        options = {
            'agent_host': '127.0.0.1',
            'agent_port': self.agent.port,
            'port_dir': self.port_dir,
            # Bounds the wait of a DPDK plug whose agent is down.
            'vhostuser_agent_wait': 30.0,
            'representor_map': self.representor_map,
        }
        for name, value in options.items():
            if value is None:
                CONF.clear_override(name, group=PLUGIN_GROUP)
            else:
                CONF.set_override(name, value, group=PLUGIN_GROUP)
        plugin_locks.lock_path_of(CONF)
        CONF.set_override('lock_path', self.lock_path,
                          group='oslo_concurrency')
        CONF.set_override('helper_command', PRIVSEP_HELPER,
                          group=plugin_privsep.vif_plug.cfg_section)
        # Nova's own (the driver makes and deletes kernel taps with it).
        CONF.set_override('helper_command', PRIVSEP_HELPER,
                          group=nova.privsep.sys_admin_pctxt.cfg_section)
        os_vif.initialize(reset=True)
        ComputeHost._loaded = self

    def plug(self, instance, port):
        """Nova's driver plugs the port of the instance (nova_guest).

        A kernel port's tap, which the driver makes, goes with the test if
        the test did not unplug the port.
        """
        self._load_plugins()
        if port.datapath == nova_guest.KERNEL:
            self.addCleanup(iproute.delete_netdev, port.devname)
        self.driver.plug(instance.instance, instance.vif(port))

    def unplug(self, instance, port):
        self._load_plugins()
        self.driver.unplug(instance.instance, instance.vif(port))

    def registration(self, port):
        """What the agent has for the port, or None."""
        return self.agent.ports().get(port.id)

    def port_file(self, port):
        """The port's file as JSON, or None if it has none."""
        try:
            with open(os.path.join(self.port_dir, port.id)) as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def config_file(self):
        """This node's nova-compute configuration, for the CLIs."""
        path = os.path.join(self.lock_path, 'nova.conf')
        with open(path, 'w') as f:
            f.write('[oslo_concurrency]\nlock_path = %s\n' % self.lock_path)
        return path

    def port_dir_names(self):
        return sorted(os.listdir(self.port_dir))
