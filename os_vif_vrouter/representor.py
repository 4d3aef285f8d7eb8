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

"""Find the representor netdev of an SR-IOV VF, from the VF's PCI address.

An offloaded port is plugged into the vRouter through its VF's
representor, an ordinary netdev on the host.  :class:`Resolver` tries, in
order:

1. the kernel's generic switchdev attributes (any vendor), as os-vif's
   OVS plugin does: ``<sysfs>/bus/pci/devices/<VF>/physfn`` is the PF, the
   PF's ``virtfn<N>`` link that points at the VF gives the VF number N,
   and the representor is the netdev with the PF's ``phys_switch_id``
   whose ``phys_port_name`` is ``pf<P>vf<N>`` (P: the PF's PCI function)
   or ``vf<N>``;
2. the vendor map of Netronome's nfp_vrouter module: one line per VF,
   four whitespace-separated fields (0: unused, 1: VF PCI address,
   2: representor, 3: VF number); VF numbers from 60 up are reserved and
   ignored;
3. the name the port profile gives (``representor_name``).

Everything here only reads sysfs and the map file: no privilege needed.
"""

import errno
import os
import re
import typing as ty

from oslo_log import log as logging

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import exception

LOG = logging.getLogger(__name__)

_VIRTFN_RE = re.compile(r'\Avirtfn(\d+)\Z')
_PF_VF_RE = re.compile(r'\Apf(\d+)vf(\d+)\Z')
_VF_RE = re.compile(r'\Avf(\d+)\Z')
_PCI_FUNCTION_RE = re.compile(r'\.([0-7])\Z')

# nfp_vrouter reserves VF numbers from 60 up for its own use.
MAP_FIRST_RESERVED_VF = 60

SOURCE_SWITCHDEV = 'switchdev'
SOURCE_MAP = 'map'
SOURCE_PROFILE = 'profile'


def _read_attr(path: str) -> ty.Optional[str]:
    """A sysfs attribute, stripped; None if absent or not supported.

    phys_port_name and phys_switch_id raise EOPNOTSUPP on netdevs whose
    driver does not implement them, which is the same as absent here.
    """
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.EOPNOTSUPP, errno.ENODEV,
                         errno.EINVAL):
            return None
        raise


class Resolver(object):
    """Resolve VF PCI address -> representor netdev name.

    :param sysfs_root: where sysfs is mounted (a fake tree in tests)
    :param map_path: the vendor map file
    """

    def __init__(self, sysfs_root: str = '/sys',
                 map_path: ty.Optional[str] = None) -> None:
        self.sysfs_root = sysfs_root
        self.map_path = map_path

    def _pci_dir(self, address: str) -> str:
        return os.path.join(self.sysfs_root, 'bus', 'pci', 'devices',
                            address)

    def _net_dir(self) -> str:
        return os.path.join(self.sysfs_root, 'class', 'net')

    def from_switchdev(self, vf_address: str) -> ty.Optional[str]:
        """The representor by the kernel's switchdev attributes, or None.

        :raises: RepresentorLookupError if sysfs cannot be read
        """
        try:
            return self._from_switchdev(vf_address)
        except OSError as exc:
            raise exception.RepresentorLookupError(
                vf_address=vf_address, path=exc.filename or self.sysfs_root,
                reason=exc.strerror or str(exc))

    def _from_switchdev(self, vf_address: str) -> ty.Optional[str]:
        physfn = os.path.join(self._pci_dir(vf_address), 'physfn')
        try:
            pf_address = os.path.basename(os.readlink(physfn))
        except FileNotFoundError:
            return None  # not a VF (or no such device)
        pf_dir = self._pci_dir(pf_address)
        vf_number = self._vf_number(pf_dir, vf_address)
        match = _PCI_FUNCTION_RE.search(pf_address)
        if vf_number is None or match is None:
            return None
        pf_function = int(match.group(1))
        switch_id = self._pf_switch_id(pf_dir)
        if switch_id is None:
            return None  # the PF is not in switchdev mode
        try:
            netdevs = sorted(os.listdir(self._net_dir()))
        except FileNotFoundError:
            return None
        for netdev in netdevs:
            base = os.path.join(self._net_dir(), netdev)
            if _read_attr(os.path.join(base, 'phys_switch_id')) != switch_id:
                continue
            port_name = _read_attr(os.path.join(base, 'phys_port_name'))
            if port_name is None:
                continue
            match = _PF_VF_RE.match(port_name)
            if match is not None:
                if (int(match.group(1)) == pf_function and
                        int(match.group(2)) == vf_number):
                    return netdev
                continue
            match = _VF_RE.match(port_name)
            if match is not None and int(match.group(1)) == vf_number:
                return netdev
        return None

    @staticmethod
    def _vf_number(pf_dir: str, vf_address: str) -> ty.Optional[int]:
        """N of the PF's virtfn<N> link that points at the VF."""
        try:
            names = os.listdir(pf_dir)
        except FileNotFoundError:
            return None
        for name in names:
            match = _VIRTFN_RE.match(name)
            if match is None:
                continue
            try:
                target = os.readlink(os.path.join(pf_dir, name))
            except OSError:
                continue
            if os.path.basename(target) == vf_address:
                return int(match.group(1))
        return None

    @staticmethod
    def _pf_switch_id(pf_dir: str) -> ty.Optional[str]:
        """phys_switch_id of the PF's netdev (its uplink representor)."""
        try:
            netdevs = sorted(os.listdir(os.path.join(pf_dir, 'net')))
        except FileNotFoundError:
            return None
        for netdev in netdevs:
            switch_id = _read_attr(
                os.path.join(pf_dir, 'net', netdev, 'phys_switch_id'))
            if switch_id:
                return switch_id
        return None

    def from_map(self, vf_address: str) -> ty.Optional[str]:
        """The representor by the vendor map, or None.

        :raises: RepresentorLookupError if the map exists but is unreadable
        """
        if not self.map_path:
            return None
        try:
            with open(self.map_path) as f:
                lines = f.readlines()
        except FileNotFoundError:
            return None  # the vendor module is not loaded
        except OSError as exc:
            raise exception.RepresentorLookupError(
                vf_address=vf_address, path=self.map_path,
                reason=exc.strerror or str(exc))
        for line in lines:
            fields = line.split()
            if len(fields) != 4:
                continue
            try:
                vf_number = int(fields[3])
            except ValueError:
                continue
            if vf_number >= MAP_FIRST_RESERVED_VF:
                continue
            if fields[1].lower() == vf_address:
                return fields[2]
        return None

    def resolve(self, port_id: str, vf_address: str,
                fallback_name: ty.Optional[str]) -> ty.Tuple[str, str]:
        """The representor of a VF, and where it was found.

        :param port_id: for error messages
        :param vf_address: the VF's PCI address, checked, in lower case
        :param fallback_name: the port profile's representor_name, a
            checked device name (or None)
        :returns: (netdev name, one of SOURCE_*)
        :raises: RepresentorNotFound, RepresentorLookupError,
            InvalidDeviceName (os_vif_translate's: a name found on the
            host is not a valid device name)
        """
        for source, lookup in ((SOURCE_SWITCHDEV, self.from_switchdev),
                               (SOURCE_MAP, self.from_map)):
            name = lookup(vf_address)
            if name is not None:
                LOG.debug('Representor of VF %(vf)s (port %(port)s) by '
                          '%(source)s: %(name)s',
                          {'vf': vf_address, 'port': port_id,
                           'source': source, 'name': name})
                return osvt_validate.device_name(port_id, name), source
        if fallback_name:
            return fallback_name, SOURCE_PROFILE
        raise exception.RepresentorNotFound(
            port_id=port_id, vf_address=vf_address,
            looked_in='%s (switchdev), %s' % (self.sysfs_root,
                                              self.map_path))
