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

"""libvirt on this host: qemu:///system, its schema, domains, consoles.

The daemons (virtlogd, libvirtd) are started by tools/functional-job, not
here: one pair serves every test process.
"""

import os

import fixtures
import libvirt
from lxml import etree
from vrouter_testing import guest_init

from vrouter_functional import host

URI = 'qemu:///system'
# The RELAX NG schemas virt-xml-validate uses (Debian package libvirt0).
DOMAIN_SCHEMA = '/usr/share/libvirt/schemas/domain.rng'

QEMU_LOG_DIR = '/var/log/libvirt/qemu'


class InvalidDomainXML(Exception):
    pass


def _pretty(element):
    return etree.tostring(element, pretty_print=True, encoding='unicode')


class Libvirt(fixtures.Fixture):
    """A connection to qemu:///system and libvirt's domain schema."""

    _schema = None

    def _setUp(self):
        try:
            self.conn = libvirt.open(URI)
        except libvirt.libvirtError as exc:
            raise RuntimeError(
                'cannot connect to %s (%s): run the suite with '
                'tools/functional-job, which starts libvirtd' % (URI, exc))
        self.addCleanup(self.conn.close)

    def qemu_version(self):
        """QEMU's version, as (major, minor)."""
        version = self.conn.getVersion()
        return version // 1000000, version // 1000 % 1000

    @classmethod
    def schema(cls):
        if cls._schema is None:
            cls._schema = etree.RelaxNG(etree.parse(DOMAIN_SCHEMA))
        return cls._schema

    def validate(self, domain):
        """Validate a domain (an lxml element) against libvirt's schema.

        :raises: InvalidDomainXML with the schema's errors and the XML
        """
        schema = self.schema()
        if not schema.validate(domain):
            raise InvalidDomainXML('%s\n%s' % (schema.error_log,
                                               _pretty(domain)))

    def define(self, domain):
        """Validate and define a domain; a Domain fixture to use.

        libvirt validates it too (VIR_DOMAIN_DEFINE_VALIDATE), against the
        same schema, and refuses what its drivers do not support.
        """
        self.validate(domain)
        return Domain(self.conn, _pretty(domain))


class Domain(fixtures.Fixture):
    """A domain defined on qemu:///system, destroyed and undefined after
    the test.

    :ivar dom: the libvirt.virDomain
    """

    def __init__(self, conn, xml):
        super().__init__()
        self.conn = conn
        self.xml = xml

    def _setUp(self):
        self.dom = self.conn.defineXMLFlags(
            self.xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
        self.addCleanup(self._undefine)

    @property
    def name(self):
        return self.dom.name()

    def _undefine(self):
        self.destroy()
        self.dom.undefine()
        # libvirt keeps the QEMU log of a domain it no longer knows.
        try:
            os.unlink(self.qemu_log)
        except FileNotFoundError:
            pass

    def start(self):
        self.dom.create()

    def destroy(self):
        if self.dom.isActive():
            self.dom.destroy()

    def is_running(self):
        return self.dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    def live_xml(self):
        return etree.fromstring(self.dom.XMLDesc())

    @property
    def qemu_log(self):
        return os.path.join(QEMU_LOG_DIR, self.name + '.log')

    def qemu_log_tail(self, lines=20):
        try:
            with open(self.qemu_log, errors='replace') as f:
                return ''.join(f.readlines()[-lines:])
        except OSError as exc:
            return '(no QEMU log: %s)' % exc


class Console(object):
    """The guest's serial console, as virtlogd writes it to a file."""

    def __init__(self, path):
        self.path = path

    def text(self):
        try:
            with open(self.path, 'rb') as f:
                return f.read().decode('utf-8', errors='replace')
        except FileNotFoundError:
            return ''

    def reports(self, event=None):
        return guest_init.reports(self.text(), event)

    def tail(self, lines=30):
        return '\n'.join(self.text().splitlines()[-lines:])

    def wait_for(self, event, domain):
        """Wait until the guest reports an event; that guest_init.Report.

        :raises: AssertionError if the domain stops first
        """
        def reported():
            found = self.reports(event)
            if found:
                return found[-1]
            if not domain.is_running():
                raise AssertionError(
                    'the domain stopped before the guest reported %r.\n'
                    'Console:\n%s\nQEMU log:\n%s' % (
                        event, self.tail(), domain.qemu_log_tail()))
            return None

        return host.wait_until(
            reported, 'guest report %r on %s' % (event, self.path),
            interval=0.2, detail=lambda: 'Console:\n' + self.tail())
