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

"""Drift between libvirt, the vRouter port files and the agent on a host.

Three records of a host's vRouter ports can disagree: the interfaces of
the libvirt domains, the port files the agent replays when it starts, and
the ports the agent has registered.  :func:`audit` compares them and
reports each disagreement as a :class:`Finding`;
:func:`os_vif_vrouter.repair.repair` fixes what it can prove is safe.

A port file belongs to a domain interface when the file's ``instance-id``
is the domain's UUID (Nova names domains by instance UUID) and its
``mac-address`` is the interface's MAC: that holds for every datapath,
including a passed-through VF, whose host device name appears nowhere in
the domain.
"""

import collections
import os
import typing as ty
import xml.etree.ElementTree as etree

from os_vif_translate import validate as osvt_validate
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import port_file
from os_vif_vrouter import port_request
from os_vif_vrouter import tcp_sockets

# Finding kinds, in the order they are reported.
# A port file with no domain interface on this host: the agent would bring
# the port back at its next start.  Repair: delete it at the agent, remove
# the file.
STALE_FILE = 'stale-file'
# A port file that does not parse: the agent would drop the port at its
# next start.  Not repaired: the port must be plugged again.
UNREADABLE_FILE = 'unreadable-file'
# A port file the agent has not registered (GET /port/<id> is 404).
# Repair: add it again from the file.
MISSING_REGISTRATION = 'missing-registration'
# A kernel-mode port file of a running domain whose device does not exist
# now: the agent skips it, for good, if it starts now.  Not repaired: the
# device is libvirt's or the representor's.  Not reported for a domain
# that does not run (a stopped server, a boot cut short): it has no tap,
# and Nova plugs its ports again when it starts it.
AGENT_WOULD_SKIP = 'agent-would-skip'
# A domain interface that looks like a vRouter port (a tap named tap*, a
# vhost-user socket of the vRouter) with no port file.  Not repaired: the
# port id and network are not on this host; plugging again (restarting
# nova-compute, or a hard reboot of the instance) writes it.
MISSING_FILE = 'missing-file'
# The agent cannot be reached: registrations were not checked.
AGENT_UNREACHABLE = 'agent-unreachable'
# A temporary file a killed writer left.  Repair (when older than the
# grace period): removed.
TEMP_LEFTOVER = 'temp-leftover'
# The agent's port listens on more than loopback: any host that reaches
# this one can register and delete ports (the API has no
# authentication).  Not repaired: a firewall rule is the fix (docs).
AGENT_EXPOSED = 'agent-exposed'

KINDS = (STALE_FILE, UNREADABLE_FILE, MISSING_REGISTRATION,
         AGENT_WOULD_SKIP, MISSING_FILE, TEMP_LEFTOVER, AGENT_UNREACHABLE,
         AGENT_EXPOSED)
REPAIRABLE = (STALE_FILE, MISSING_REGISTRATION, TEMP_LEFTOVER)

# Where the vRouter's vhost-user sockets live (uvh_vif_<tap name>).
VHOSTUSER_SOCKET_PREFIX = 'uvh_vif_'

Interface = collections.namedtuple(
    'Interface', 'domain_uuid domain_name mac kind device socket running',
    defaults=(True,))
Interface.__doc__ = """One <interface> of a libvirt domain.

kind is libvirt's interface type ('ethernet', 'vhostuser', 'hostdev', ...);
device is the target dev (None if unset); socket the vhost-user path;
running whether the domain runs.
"""

PortFile = collections.namedtuple('PortFile', 'port_id data text mtime')
PortFile.__doc__ = """One port file: data is the parsed JSON object, or
port_request.UNREADABLE when the file does not parse as one; text is its
content; mtime when it was last written (seconds since the epoch)."""

Leftover = collections.namedtuple('Leftover', 'name port_id mtime')
Leftover.__doc__ = """A temporary file of a port that no writer renamed."""


class Finding(collections.namedtuple('Finding',
                                     'kind port_id detail interface')):
    """One disagreement; port_id is None for a MISSING_FILE."""

    def as_dict(self) -> ty.Dict[str, ty.Any]:
        found = {'kind': self.kind, 'port_id': self.port_id,
                 'detail': self.detail}
        if self.interface is not None:
            found['interface'] = self.interface._asdict()
        return found


def domain_interfaces(domain_xml: str,
                      running: bool = True) -> ty.List[Interface]:
    """The interfaces of one domain, from its XML description.

    :param running: whether the domain runs
    """
    root = etree.fromstring(domain_xml)
    uuid = root.findtext('uuid')
    name = root.findtext('name')
    interfaces = []
    for node in root.findall('./devices/interface'):
        mac = node.find('mac')
        target = node.find('target')
        source = node.find('source')
        interfaces.append(Interface(
            domain_uuid=uuid, domain_name=name,
            mac=_lower(mac.get('address') if mac is not None else None),
            kind=node.get('type'),
            device=target.get('dev') if target is not None else None,
            socket=(source.get('path') if source is not None and
                    node.get('type') == 'vhostuser' else None),
            running=running))
    return interfaces


def _lower(text: ty.Optional[str]) -> ty.Optional[str]:
    return text.lower() if text is not None else None


def libvirt_interfaces(uri: str) -> ty.List[Interface]:
    """The interfaces of every domain, running or not, of a libvirt host.

    :raises: exception.AuditSourceError when libvirt-python is missing or
        the host cannot be reached
    """
    try:
        import libvirt
    except ImportError:
        raise exception.AuditSourceError(
            source=uri, reason='libvirt-python is not installed')
    try:
        conn = libvirt.openReadOnly(uri)
        try:
            return [iface for domain in conn.listAllDomains(0)
                    for iface in domain_interfaces(
                        domain.XMLDesc(0), running=bool(domain.isActive()))]
        finally:
            conn.close()
    except libvirt.libvirtError as exc:
        raise exception.AuditSourceError(source=uri, reason=str(exc))


def _mtime(path: str) -> ty.Optional[float]:
    try:
        return os.stat(path).st_mtime
    except FileNotFoundError:
        return None  # removed meanwhile


def read_port_files(port_dir: str) -> ty.List[PortFile]:
    """Every port file of the directory (UUID-named regular files)."""
    files = []
    for name in sorted(os.listdir(port_dir)):
        if not osvt_validate.is_canonical_uuid(name):
            continue  # the agent ignores it too (temporary files, say)
        mtime = _mtime(os.path.join(port_dir, name))
        text = port_file.read(port_dir, name)
        if text is None or mtime is None:
            continue  # removed meanwhile
        files.append(PortFile(name, port_request.parse(text), text, mtime))
    return files


def read_leftovers(port_dir: str) -> ty.List[Leftover]:
    """The temporary files of the directory (see port_file.stage)."""
    leftovers = []
    for name in sorted(os.listdir(port_dir)):
        port_id = port_file.temp_port_id(name)
        if port_id is not None:
            mtime = _mtime(os.path.join(port_dir, name))
            if mtime is not None:
                leftovers.append(Leftover(name, port_id, mtime))
    return leftovers


def interface_of(port_data: ty.Mapping[str, ty.Any],
                 interfaces: ty.Iterable[Interface]
                 ) -> ty.Optional[Interface]:
    """The domain interface a port file belongs to, or None."""
    key = _key(port_data.get(constants.KEY_INSTANCE_ID),
               port_data.get(constants.KEY_MAC_ADDRESS))
    for interface in interfaces:
        if _key(interface.domain_uuid, interface.mac) == key:
            return interface
    return None


def looks_like_vrouter(interface: Interface) -> bool:
    """Whether an interface without a port file is probably a vRouter port.

    Nova names a Neutron port's tap 'tap<port id>' and the vRouter's
    vhost-user sockets are 'uvh_vif_<tap>'; a passed-through VF shows
    nothing that tells, so it is never reported as missing its file.
    """
    if interface.kind == 'ethernet':
        return bool(interface.device and interface.device.startswith('tap'))
    if interface.kind == 'vhostuser':
        return bool(interface.socket and os.path.basename(
            interface.socket).startswith(VHOSTUSER_SOCKET_PREFIX))
    return False


def _key(instance_id: ty.Any, mac: ty.Any) -> ty.Tuple[ty.Any, str]:
    return instance_id, (mac or '').lower()


DeviceExists = ty.Callable[[ty.Any], bool]


def _agent_skips(data: ty.Mapping[str, ty.Any],
                 device_exists: DeviceExists) -> bool:
    """Whether a kernel-mode agent starting now would skip this port."""
    if data.get(constants.KEY_TYPE) == constants.PORT_TYPE_ESXI:
        return False
    if constants.KEY_VHOSTUSER_MODE in data:
        return False  # a DPDK port: no kernel netdev to look for
    return not device_exists(data.get(constants.KEY_SYSTEM_NAME))


def devices_in(sysfs_root: str) -> DeviceExists:
    """name -> whether the network device exists, by sysfs.

    :param sysfs_root: where sysfs is mounted ([os_vif_vrouter] sysfs_root)
    """
    net = os.path.join(sysfs_root, 'class', 'net')

    def device_exists(name: ty.Any) -> bool:
        return (osvt_validate.is_device_name(name) and
                os.path.exists(os.path.join(net, name)))

    return device_exists


def audit(port_files: ty.Iterable[PortFile],
          interfaces: ty.Iterable[Interface], client: ty.Any,
          device_exists: DeviceExists,
          leftovers: ty.Iterable[Leftover] = ()) -> ty.List[Finding]:
    """Compare a host's port files, domain interfaces and registrations.

    :param port_files: list of PortFile
    :param interfaces: list of Interface, of every domain of the host
    :param client: an AgentClient, or None not to ask the agent
    :param device_exists: name -> bool (see :func:`devices_in`)
    :param leftovers: list of Leftover
    :returns: list of Finding, sorted by kind
    """
    by_key = {_key(i.domain_uuid, i.mac): i for i in interfaces}
    matched = set()
    findings = []
    agent_ok = client is not None
    for pf in port_files:
        if pf.data is port_request.UNREADABLE:
            findings.append(Finding(UNREADABLE_FILE, pf.port_id,
                                    'not a JSON object', None))
            continue
        key = _key(pf.data.get(constants.KEY_INSTANCE_ID),
                   pf.data.get(constants.KEY_MAC_ADDRESS))
        interface = by_key.get(key)
        if interface is None:
            findings.append(Finding(
                STALE_FILE, pf.port_id,
                'no domain %s with an interface %s on this host' % key,
                None))
            continue
        matched.add(key)
        if agent_ok:
            try:
                if client.get_port(pf.port_id) is None:
                    findings.append(Finding(
                        MISSING_REGISTRATION, pf.port_id,
                        'the agent does not have the port', interface))
            except exception.AgentError as exc:
                findings.append(Finding(AGENT_UNREACHABLE, None,
                                        exc.format_message(), None))
                agent_ok = False
        if interface.running and _agent_skips(pf.data, device_exists):
            findings.append(Finding(
                AGENT_WOULD_SKIP, pf.port_id,
                'device %s does not exist'
                % pf.data.get(constants.KEY_SYSTEM_NAME),
                interface))
    for leftover in leftovers:
        findings.append(Finding(
            TEMP_LEFTOVER, leftover.port_id,
            'temporary file %s that no writer renamed' % leftover.name,
            None))
    for interface in interfaces:
        if (_key(interface.domain_uuid, interface.mac) not in matched and
                looks_like_vrouter(interface)):
            findings.append(Finding(
                MISSING_FILE, None,
                'domain %s (%s), %s interface %s has no port file' % (
                    interface.domain_name, interface.domain_uuid,
                    interface.kind, interface.mac), interface))
    return sorted(findings, key=lambda f: (KINDS.index(f.kind),
                                           f.port_id or ''))


def agent_exposure(port: int,
                   sockets: ty.Optional[ty.List[tcp_sockets.Socket]] = None
                   ) -> ty.List[Finding]:
    """Findings for the agent's port listening on more than loopback.

    :param sockets: tcp_sockets.read() (default: read now)
    """
    if sockets is None:
        try:
            sockets = tcp_sockets.read()
        except OSError:
            return []
    return [Finding(AGENT_EXPOSED, None,
                    'the agent\'s port %d listens on %s, not only on '
                    'loopback: filter it (see the troubleshooting guide)'
                    % (port, listener.local_address), None)
            for listener in tcp_sockets.exposed(port, sockets)]
