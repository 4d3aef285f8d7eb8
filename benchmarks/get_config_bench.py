#!/usr/bin/env python3
# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""get_config of a vRouter VIF: our driver against upstream's generic path.

Runs in an environment holding the patched Nova (the nova tox env) and
needs a pristine Nova tree for upstream's os_vif_util::

    tools/nova-tree --pristine .nova-build/pristine
    .tox/nova/bin/python benchmarks/get_config_bench.py \
        --pristine .nova-build/pristine

For each vRouter datapath, times LibvirtVRouterVIFDriver.get_config (the
patched path: os_vif_translate + get_config_vrouter) and, in the same
process and run, LibvirtGenericVIFDriver.get_config with upstream Nova
34's own os_vif_util (loaded from the pristine tree) for the same VIF.
Prints median and p90 per call and the ratio ours/upstream (target: 1.1
or less).  A benchmark, not a test: the machines are noisy.
"""

import argparse
import copy
import importlib.util
import os
import statistics
import sys
import time

os.environ.setdefault('OS_NOVA_DISABLE_EVENTLET_PATCHING', 'False')

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'nova_tests'))


def _load_upstream_os_vif_util(pristine):
    path = os.path.join(pristine, 'nova', 'network', 'os_vif_util.py')
    spec = importlib.util.spec_from_file_location(
        'upstream_os_vif_util', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _time_calls(func, rounds, batch):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(batch):
            func()
        samples.append((time.perf_counter_ns() - start) / batch / 1000.0)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--pristine', required=True,
                        help='pristine Nova tree (tools/nova-tree --pristine)')
    parser.add_argument('--rounds', type=int, default=200)
    parser.add_argument('--batch', type=int, default=20)
    args = parser.parse_args()

    import os_vif
    from os_vif import objects as osv_objects
    from unittest import mock

    import nova.conf
    from nova.network import model
    from nova import objects
    from nova.virt.libvirt import vif as libvirt_vif
    from nova.virt.libvirt import vif_vrouter
    import vrouter_bindings

    nova.conf.CONF([], project='nova')
    objects.register_all()
    osv_objects.register_all()
    upstream_util = _load_upstream_os_vif_util(args.pristine)

    ours = vif_vrouter.LibvirtVRouterVIFDriver()
    generic = libvirt_vif.LibvirtGenericVIFDriver()
    instance = objects.Instance(**vrouter_bindings.INSTANCE)
    image_meta = objects.ImageMeta.from_dict({})
    flavor = objects.Flavor(vcpus=2, memory_mb=128, extra_specs={})

    rows = []
    for name in ('kernel', 'dpdk', 'offload_direct',
                 'offload_virtio_forwarder'):
        vif = model.VIF.hydrate(copy.deepcopy(
            vrouter_bindings.BINDINGS[name]))

        def run_ours():
            ours.get_config(instance, vif, image_meta, flavor, 'kvm')

        def run_upstream():
            generic.get_config(instance, vif, image_meta, flavor, 'kvm')

        with mock.patch.object(libvirt_vif, 'os_vif_util', upstream_util):
            run_upstream()
            up = _time_calls(run_upstream, args.rounds, args.batch)
        run_ours()
        us = _time_calls(run_ours, args.rounds, args.batch)
        rows.append((name, up, us, us[0] / up[0]))
    del os_vif

    print('get_config per call, microseconds (%d rounds x %d calls)' % (
        args.rounds, args.batch))
    print('%-26s %12s %12s %12s %12s %8s' % (
        'datapath', 'upstream med', 'upstream p90', 'ours med', 'ours p90',
        'ratio'))
    for name, up, us, ratio in rows:
        print('%-26s %12.1f %12.1f %12.1f %12.1f %8.2f' % (
            name, up[0], up[1], us[0], us[1], ratio))


if __name__ == '__main__':
    main()
