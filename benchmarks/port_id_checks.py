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

"""How many times a port's id is checked on its way, and where (not a test).

Every check of a port id in both packages goes through one predicate,
``os_vif_translate.validate.is_canonical_uuid``.  This counts its calls
on the port's id (by its code object, so also through any alias; checks
of the instance's and the network's UUIDs are not counted) while the
translation
library translates one legacy VIF of each datapath (the shared test
fixtures), and while the plugin plugs and unplugs the os-vif object it
gives against the stand-in agent, with port files in a temporary
directory.  The plugin's checks are split by where they happen: where the
port enters, and inside a privileged entrypoint (``privileged.py``), where
the privsep daemon checks its arguments again because it trusts no
caller.  The stand-in agent's own checks are not counted.

Usage::

    python benchmarks/port_id_checks.py

It imports the packages of the tree it is in, so the same script run from
a checkout of an older commit counts that commit's checks.
"""

import os
import shutil
import sys
import tempfile
import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from oslo_config import cfg  # noqa: E402

import os_vif_translate  # noqa: E402
from os_vif_translate.tests.unit import fixtures_vif  # noqa: E402
from os_vif_translate import validate  # noqa: E402
from os_vif_vrouter import locks  # noqa: E402
from os_vif_vrouter import opts  # noqa: E402
from os_vif_vrouter import privsep  # noqa: E402
from os_vif_vrouter.tests import base  # noqa: E402
from os_vif_vrouter.tests import vifs  # noqa: E402
from os_vif_vrouter import vrouter  # noqa: E402
from vrouter_testing import agent_stand_in  # noqa: E402

VF = '0000:0b:00.1'
REPRESENTOR = 'eth_rep0'
PREDICATE = validate.is_canonical_uuid.__code__


class Counter(object):
    """Counts the predicate's calls on one value, by who called it."""

    def __init__(self):
        self.counts = {}
        self.port_id = None

    @staticmethod
    def _where(frame):
        while frame is not None:
            filename = frame.f_code.co_filename
            if 'agent_stand_in' in filename:
                return None  # the agent's own checks
            if filename.endswith(os.path.join('os_vif_vrouter',
                                              'privileged.py')):
                return 'privileged'
            frame = frame.f_back
        return 'edge'

    def __call__(self, frame, event, arg):
        if (event == 'call' and frame.f_code is PREDICATE and
                frame.f_locals.get('value') == self.port_id):
            where = self._where(frame.f_back)
            if where is not None:
                self.counts[where] = self.counts.get(where, 0) + 1

    def measure(self, port_id, function):
        self.counts = {}
        self.port_id = port_id
        sys.setprofile(self)
        try:
            function()
        finally:
            sys.setprofile(None)
        return dict(self.counts)


def _legacy_vifs(socket):
    details = dict(fixtures_vif.VHOSTUSER_DETAILS, vhostuser_socket=socket)
    return [
        ('kernel', fixtures_vif.kernel()),
        ('dpdk', fixtures_vif.dpdk(details=details)),
        ('offload-direct',
         fixtures_vif.offload_direct(profile={'pci_slot': VF})),
        ('offload-virtio-forwarder', fixtures_vif.offload_virtio_forwarder(
            profile={'pci_slot': VF}, details=details)),
    ]


def main():
    work = tempfile.mkdtemp(prefix='port-id-checks-')
    try:
        port_dir = os.path.join(work, 'ports')
        os.mkdir(port_dir)
        socket = os.path.join(work, 'uvh_vif_tap')
        open(socket, 'w').close()
        map_path = os.path.join(work, 'fallback_map')
        with open(map_path, 'w') as f:
            f.write('0 %s %s 1\n' % (VF, REPRESENTOR))
        agent = agent_stand_in.AgentStandIn(port_dir)
        agent.start()
        links = base.FakeLinks(REPRESENTOR)
        links.setUp()
        privsep.vif_plug.set_client_mode(False)
        opts.register_opts(cfg.CONF)
        locks.lock_path_of(cfg.CONF)
        cfg.CONF.set_override('lock_path', os.path.join(work, 'locks'),
                              group='oslo_concurrency')
        for name, value in (('agent_port', agent.port),
                            ('agent_listener_uid', os.geteuid()),
                            ('port_dir', port_dir),
                            ('representor_map', map_path),
                            ('sysfs_root', os.path.join(work, 'sys')),
                            ('vhostuser_agent_wait', 1.0),
                            ('vhostuser_socket_wait', 0.0)):
            cfg.CONF.set_override(name, value, group='os_vif_vrouter')
        plugins = {name: vrouter.VRouterPlugin.load(name)
                   for name in ('vrouter', 'contrail_vrouter')}
        info = vifs.instance_info()
        counter = Counter()
        rows = []
        for datapath, legacy in _legacy_vifs(socket):
            port_id = legacy['id']
            translated = counter.measure(
                port_id, lambda: os_vif_translate.translate(legacy))
            vif = os_vif_translate.translate(legacy)
            plugin = plugins[vif.plugin]
            plug = counter.measure(port_id, lambda: plugin.plug(vif, info))
            unplug = counter.measure(port_id,
                                     lambda: plugin.unplug(vif, info))
            rows.append((datapath, translated.get('edge', 0),
                         plug.get('edge', 0), plug.get('privileged', 0),
                         unplug.get('edge', 0), unplug.get('privileged', 0)))
        links.cleanUp()
        agent.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print('Port id checks (calls of validate.is_canonical_uuid), one port '
          'each, new at the agent')
    print('%-26s %9s %13s %13s %13s %13s' % (
        'datapath', 'translate', 'plug: edge', 'plug: privsep',
        'unplug: edge', 'unplug: priv'))
    for row in rows:
        print('%-26s %9d %13d %13d %13d %13d' % row)


if __name__ == '__main__':
    main()
