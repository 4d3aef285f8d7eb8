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

"""``vrouter-port-audit --repair``: fix only what is provably stale.

A finding of :mod:`os_vif_vrouter.audit` is repaired only when the audit
can prove the port is Nova's and stale; everything else is reported and
left:

=====================  ================================================
the port               Nova's ports are VM ports (type 0); namespace
                       and ESXi ports (types 1, 2) belong to other
                       clients of the agent
its file               older than the grace period: Nova plugs a port
                       before it defines the domain (a spawn, the
                       destination of a live migration), so a file
                       without a domain may be seconds old and right
just before repairing  under the port's lock (shared with nova-compute
                       and vrouter-port-control), the file is read
                       again and must be what the audit read; a stale
                       file's domain must still be absent, a lost
                       registration still missing
=====================  ================================================

The repairs: a stale file's port is deleted at the agent and its file
removed; a lost registration is added again from the file's text as read
under the lock; a leftover temporary file older than the grace period is
removed with the port's other leftovers.
"""

import time
import typing as ty

from os_vif_vrouter import audit
from os_vif_vrouter import constants
from os_vif_vrouter import exception
from os_vif_vrouter import locks
from os_vif_vrouter import privileged


class _NotProven(Exception):
    """Why a finding is left as it is."""


Findings = ty.List[audit.Finding]


def repair(findings: ty.Iterable[audit.Finding],
           port_files: ty.Iterable[audit.PortFile], client: ty.Any,
           port_dir: str, lock_path: ty.Optional[str], grace_period: float,
           list_interfaces: ty.Callable[[], ty.List[audit.Interface]],
           leftovers: ty.Iterable[audit.Leftover] = (),
           now: ty.Optional[float] = None) -> ty.Tuple[Findings, Findings]:
    """Repair what can be proven; return (repaired, left) lists of Finding.

    :param port_files: the audit's PortFile list
    :param grace_period: seconds a file must be old to be repaired
    :param list_interfaces: () -> the host's domain interfaces, now
    :param leftovers: the audit's Leftover list
    :param now: the time (default: now)
    """
    now = time.time() if now is None else now
    files = {pf.port_id: pf for pf in port_files}
    repaired: Findings = []
    left: Findings = []
    for finding in findings:
        if finding.kind not in audit.REPAIRABLE:
            left.append(finding)
            continue
        try:
            if finding.kind == audit.TEMP_LEFTOVER:
                _check_leftovers(finding.port_id, leftovers, now,
                                 grace_period)
                with locks.port_lock(finding.port_id, lock_path):
                    # Under the lock no writer of the port is running:
                    # every temporary file of the port is a leftover.
                    privileged.remove_port_leftovers(port_dir,
                                                     finding.port_id)
            else:
                port = _provable(files.get(finding.port_id), now,
                                 grace_period)
                with locks.port_lock(finding.port_id, lock_path):
                    _repair_port(finding, port, client, port_dir,
                                 list_interfaces)
        except _NotProven as reason:
            left.append(finding._replace(
                detail='%s; not repaired: %s' % (finding.detail, reason)))
            continue
        except exception.VRouterException as exc:
            left.append(finding._replace(detail='%s; repair failed: %s' % (
                finding.detail, exc.format_message())))
            continue
        repaired.append(finding)
    return repaired, left


def _check_age(age: float, grace_period: float) -> None:
    if age < grace_period:
        raise _NotProven('written %.0f s ago, within the grace period of '
                         '%.0f s (a plug may still be on its way)'
                         % (age, grace_period))


def _check_leftovers(port_id: str, leftovers: ty.Iterable[audit.Leftover],
                     now: float, grace_period: float) -> None:
    ages = [now - leftover.mtime for leftover in leftovers
            if leftover.port_id == port_id]
    if not ages:
        raise _NotProven('no temporary file of the port was read')
    _check_age(min(ages), grace_period)


def _provable(port: ty.Optional[audit.PortFile], now: float,
              grace_period: float) -> audit.PortFile:
    """The port file of a finding, if it may be repaired."""
    if port is None:
        raise _NotProven('its port file was not read')
    port_type = port.data.get(constants.KEY_TYPE)
    if port_type != constants.PORT_TYPE_VM:
        raise _NotProven('a port of type %r is not a VM port: another '
                         'client of the agent owns it' % (port_type,))
    _check_age(now - port.mtime, grace_period)
    return port


def _repair_port(finding: audit.Finding, port: audit.PortFile,
                 client: ty.Any, port_dir: str,
                 list_interfaces: ty.Callable[[], ty.List[audit.Interface]]
                 ) -> None:
    """Check a stale file or a lost registration again under the port's
    lock, then repair it.
    """
    text = privileged.read_port_file(port_dir, finding.port_id)
    if text != port.text:
        raise _NotProven('the port file changed or was removed since the '
                         'audit read it')
    present = audit.interface_of(port.data, list_interfaces())
    if finding.kind == audit.STALE_FILE:
        if present is not None:
            raise _NotProven('its domain is defined now')
        client.delete_port(finding.port_id)
        privileged.remove_port_file(port_dir, finding.port_id)
    else:
        if present is None:
            raise _NotProven('its domain is gone now')
        if client.get_port(finding.port_id) is not None:
            raise _NotProven('the agent has the port now')
        client.add_port(text)
