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

"""A single-node OpenStack cloud whose compute node is a vRouter node.

Test tree only: the cloud's orchestration (``tools/cloud up|down``), the
controller's Neutron side (an ML2 mechanism driver that binds ports the way
the Tungsten Fabric controller does) and the kernel datapath that the
stand-in agent gives the node's ports.
"""
