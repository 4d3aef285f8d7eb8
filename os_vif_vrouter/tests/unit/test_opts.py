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

import os

import fixtures
from oslo_config import cfg
from oslo_config import generator

import os_vif_vrouter
from os_vif_vrouter import constants
from os_vif_vrouter import opts
from os_vif_vrouter.tests import base

SAMPLE = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(os_vif_vrouter.__file__))), 'etc',
    'os_vif_vrouter.conf.sample')


class TestOpts(base.TestCase):

    def test_list_opts(self):
        groups = dict(opts.list_opts())
        self.assertEqual({constants.CONFIG_GROUP,
                          constants.PRIVSEP_CONFIG_GROUP}, set(groups))
        names = [opt.name for opt in groups[constants.CONFIG_GROUP]]
        self.assertEqual(
            ['agent_host', 'agent_port', 'agent_listener_check',
             'agent_listener_uid', 'agent_connect_timeout',
             'agent_read_timeout', 'vhostuser_agent_wait',
             'agent_down_memory', 'vhostuser_socket_wait', 'port_dir',
             'representor_map', 'sysfs_root', 'repair_grace_period'], names)
        for group, group_opts in groups.items():
            for opt in group_opts:
                self.assertTrue(opt.help, '%s.%s' % (group, opt.name))
        capabilities = [o for o in groups[constants.PRIVSEP_CONFIG_GROUP]
                        if o.name == 'capabilities']
        self.assertEqual(['CAP_NET_ADMIN'], capabilities[0].default)

    def test_defaults(self):
        group = opts.register_opts(cfg.ConfigOpts())
        self.assertEqual('127.0.0.1', group.agent_host)
        self.assertEqual(9091, group.agent_port)
        self.assertEqual('/var/lib/contrail/ports', group.port_dir)
        self.assertEqual('/sys/module/nfp_vrouter/control/fallback_map',
                         group.representor_map)
        self.assertEqual(120.0, group.vhostuser_agent_wait)

    def test_register_is_idempotent(self):
        conf = cfg.ConfigOpts()
        opts.register_opts(conf)
        opts.register_opts(conf)
        self.assertIn(constants.CONFIG_GROUP, conf)

    def test_sample_is_up_to_date(self):
        # Only our own group: the privsep group's text is oslo.privsep's and
        # changes with its version (every OpenStack release has its own);
        # tools/check-config-sample checks the whole file with the pinned
        # versions (tox -e docs).
        out = self.useFixture(fixtures.TempDir()).join('sample')
        conf = cfg.ConfigOpts()
        generator.register_cli_opts(conf)
        conf(['--namespace', 'os_vif_vrouter', '--wrap-width', '79',
              '--output-file', out])
        generator.generate(conf)
        with open(out) as generated, open(SAMPLE) as committed:
            self.assertEqual(
                _section(generated.read(), constants.CONFIG_GROUP),
                _section(committed.read(), constants.CONFIG_GROUP),
                'etc/os_vif_vrouter.conf.sample is stale: run '
                'oslo-config-generator --namespace os_vif_vrouter '
                '--wrap-width 79 --output-file '
                'etc/os_vif_vrouter.conf.sample')


def _section(sample, group):
    """The lines of one [group] of a sample file, up to the next group."""
    lines = sample.splitlines()
    start = lines.index('[%s]' % group)
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith('[')), len(lines))
    return lines[start:end]
