# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import unittest

from vrtools import kolla_check

PLUGGED = {'plugin': 'vrouter', 'plug': 'ok', 'unplug': 'ok',
           'after_plug': {'agent': True, 'port_file': True},
           'after_unplug': {'agent': False, 'port_file': False}}


def report(entry_points, bindings, loaded=()):
    return {'entry_points': [[name, 'x:Y', 'dist'] for name in entry_points],
            'bindings': bindings, 'loaded': list(loaded),
            'prefix': '/venv', 'nova': '30.3.0', 'python': '3.9'}


class TestChecks(unittest.TestCase):

    def test_no_plugin(self):
        kolla_check.check_no_plugin(report(
            ['noop', 'ovs'],
            {'kernel': {'plug': "NoMatchingPlugin: 'vrouter'"},
             'dpdk': {'plug': "KeyError: 'contrail_vrouter'"}}))
        with self.assertRaises(kolla_check.CheckFailed):
            kolla_check.check_no_plugin(report(
                ['ovs'], {'kernel': {'plug': 'ok'}}))

    def test_both_installed(self):
        names = ['contrail_vrouter', 'contrail_vrouter', 'vrouter',
                 'vrouter']
        self.assertEqual(
            ['dpdk (contrail_vrouter) went to the vendor fixture',
             'kernel (vrouter) went to os-vif-vrouter'],
            kolla_check.check_both(report(names, {
                'kernel': PLUGGED,
                'dpdk': {'plugin': 'contrail_vrouter',
                         'plug': 'RuntimeError: vendor fixture plugin'}})))
        with self.assertRaises(kolla_check.CheckFailed):
            kolla_check.check_both(report(names[1:], {}))

    def test_fixed(self):
        fixed = report(['contrail_vrouter', 'ovs', 'vrouter'],
                       {'kernel': PLUGGED},
                       loaded=['contrail_vrouter', 'ovs', 'vrouter'])
        self.assertIn('kernel plugged and unplugged',
                      kolla_check.check_fixed(fixed))
        left = dict(PLUGGED, after_unplug={'agent': True,
                                           'port_file': False})
        with self.assertRaises(kolla_check.CheckFailed):
            kolla_check.check_fixed(dict(fixed, bindings={'kernel': left}))
