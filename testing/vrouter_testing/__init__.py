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

"""Test helpers that several of the project's suites share.

- ``agent_stand_in``: the stand-in vRouter agent (the agent's REST port
  API and port files), for the plugin's unit and integration tests, the
  functional suite, ``nova_tests``, the Kolla check, the benchmarks, and
  the test cloud's node agent (``vrouter_cloud.agent``);
- ``iproute``: ip(8) and the netdevs in sysfs, for the functional
  suite, the benchmarks and the test cloud (``vrouter_cloud``);
- ``testpmd``: dpdk-testpmd as the DPDK vRouter's forwarding plane for
  one port (the functional suite's DPDK datapath, and the test cloud's
  DPDK node to come);
- ``guest_init``: what the guest's ``/init`` (``testing/guest/init``) reads
  from the kernel command line and reports on its serial console.

A distribution of its own (``testing/pyproject.toml``), installed in
development mode where a suite runs; never in the os-vif-vrouter wheel
(``tox -e package`` checks it).  Standard library only.
"""
