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

"""The cloud-operations job: node events with guests running.

An operator's compute node meets events no single test shows with
running servers: the vRouter agent restarts, nova-compute restarts, the
host reboots, the node moves from the vendor's tooling to ours, the disk
of the port files fills up.  ``job`` brings the cloud's servers up,
pings every guest every 10 ms from the namespace of their network's
router (``pinger``, ``probes``), provokes each event (``agent_events``,
``compute_restart``, ``reboot``, ``upgrade``, ``full_disk``), checks the
nodes against Nova and Neutron and runs ``vrouter-port-audit`` on them
(``harness``, ``checks``) and prints the table (``report``).
``tools/run-tests cloud-operations`` runs it.
"""
