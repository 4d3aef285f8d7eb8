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

"""Functional tests: vRouter ports from Nova's driver to a running guest.

Every layer is real but the vRouter itself: the patched Nova's
``LibvirtVRouterVIFDriver`` builds the interface inside a whole guest
config, libvirt validates, defines and starts it on ``qemu:///system``
(TCG; Debian 12's libvirt 9.0 and QEMU 7.2 with ``tox -e functional``,
bookworm-backports' libvirt 11.3 and QEMU 10.0 with ``tox -e
functional-backports``), the driver plugs the port through
os-vif into the ``os_vif_vrouter`` plugin and its privsep daemon.  The
vRouter agent is the project's stand-in (``vrouter_testing.
agent_stand_in``); the vRouter datapath is played by a network namespace
that holds the gateway (kernel), DPDK's testpmd (vhost-user) or a
throw-away netdev (an offload representor).

Run as root through ``tools/functional-job`` (``tox -e functional``),
which installs what the suite needs, builds the guest and starts the
libvirt daemons.  The guest is a Debian cloud kernel with a busybox
initramfs (``testing/guest/init``, the test cloud's guest too) that
reports on its serial console (``vrouter_testing.guest_init``).
"""
