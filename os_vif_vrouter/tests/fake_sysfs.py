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

"""A fake sysfs tree of SR-IOV NICs in switchdev mode, for tests."""

import os


class FakeSysfs(object):
    """Build <root>/bus/pci/devices and <root>/class/net like the kernel.

    :param root: an empty directory
    """

    def __init__(self, root):
        self.root = root
        os.makedirs(self._pci(''), exist_ok=True)
        os.makedirs(self._net(''), exist_ok=True)

    def _pci(self, address):
        return os.path.join(self.root, 'bus', 'pci', 'devices', address)

    def _net(self, name):
        return os.path.join(self.root, 'class', 'net', name)

    def _netdev(self, name, switch_id=None, port_name=None):
        path = self._net(name)
        os.makedirs(path)
        if switch_id is not None:
            with open(os.path.join(path, 'phys_switch_id'), 'w') as f:
                f.write(switch_id + '\n')
        if port_name is not None:
            with open(os.path.join(path, 'phys_port_name'), 'w') as f:
                f.write(port_name + '\n')

    def add_pf(self, address, netdev, switch_id, vfs):
        """A PF with its netdev (the uplink) and its VFs.

        :param vfs: VF PCI addresses, in VF number order
        """
        pf_dir = self._pci(address)
        os.makedirs(os.path.join(pf_dir, 'net'))
        self._netdev(netdev, switch_id, 'p0')
        os.symlink(os.path.join('..', '..', '..', '..', '..', 'class', 'net',
                                netdev),
                   os.path.join(pf_dir, 'net', netdev))
        for number, vf in enumerate(vfs):
            os.makedirs(self._pci(vf))
            os.symlink(os.path.join('..', address),
                       os.path.join(self._pci(vf), 'physfn'))
            os.symlink(os.path.join('..', vf),
                       os.path.join(pf_dir, 'virtfn%d' % number))

    def add_representor(self, netdev, switch_id, port_name):
        self._netdev(netdev, switch_id, port_name)

    def add_netdev(self, netdev):
        """A netdev without switchdev attributes."""
        self._netdev(netdev)
