# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""The Debian packages each job needs, and apt-get with one retry.

Each job's list is here and nowhere else: add a package to its job's
list, with the reason in a comment.  ``python3 tools/vrtools packages
JOB`` prints a list, ``python3 tools/vrtools apt-install JOB...`` installs
what is missing of it.

apt-get runs once; if it fails (package lists missing or older than the
mirror), ``apt-get update`` runs and apt-get once more.  Whatever is still
missing then is named in the error, with the log.

A job that starts its own services (the test cloud: MariaDB, RabbitMQ,
sshd on a node's address) installs with the packages' daemons held back:
Debian's maintainer scripts ask ``/usr/sbin/policy-rc.d`` before they
start one, and its exit status 101 means "not allowed" (Debian's
invoke-rc.d policy interface).
"""

import contextlib
import os
import subprocess

# What Debian's invoke-rc.d asks before a maintainer script starts a
# daemon; exit status 101: action forbidden.
POLICY_RC_D = '/usr/sbin/policy-rc.d'
FORBID_ALL = '#!/bin/sh\nexit 101\n'

# What the guest image is made of (vrtools.guest): busybox and the
# programs the cloud's guest runs, depmod for the kernel's modules, and
# mke2fs for its disk.
GUEST = ('busybox-static', 'dropbear-bin', 'jq', 'util-linux', 'kmod',
         'e2fsprogs')

# libvirt with QEMU (TCG), and what libvirt-python builds against.
LIBVIRT = ('libvirt-daemon-system', 'libvirt-clients', 'qemu-system-x86',
           'libvirt-dev', 'pkg-config')

# What functional-backports takes from bookworm-backports (the next
# libvirt and QEMU); the rest of its root is bookworm's.
BACKPORTS = ('libvirt-daemon-system', 'libvirt-clients', 'qemu-system-x86',
             'libvirt-dev')

PACKAGES = {
    # The test cloud (tools/cloud-setup).
    'cloud': LIBVIRT + GUEST + (
        'mariadb-server', 'rabbitmq-server',
        'qemu-utils',      # qemu-img, for Nova and Glance
        'genisoimage',     # Nova's config drive
        'dosfstools',      # Nova formats ephemeral disks vfat
        'iproute2',
        'dnsmasq-base',    # the gateway's DHCP
        'nftables',        # the gateway's floating IPs
        'iputils-ping',    # tempest and the benchmarks ping the servers
        # The nodes copy disks to each other over SSH (the packages start
        # no sshd here: see install's start_daemons).
        'openssh-server', 'openssh-client',
    ),
    # The functional suite (tools/functional-setup).
    'functional': LIBVIRT + GUEST + (
        'dpdk-dev',        # dpdk-testpmd, the DPDK datapath's stand-in
        'iproute2',
    ),
    # The root functional-backports runs in (tools/functional-backports-
    # root): from bookworm-backports, the generation under test ...
    'functional-backports': BACKPORTS,
    # ... and from bookworm, the rest of the functional suite's, and what
    # its virtualenv needs (libvirt-python is built from source).
    'functional-backports-root': tuple(
        p for p in LIBVIRT + GUEST + ('dpdk-dev', 'iproute2')
        if p not in BACKPORTS) + (
        'ca-certificates', 'procps', 'git', 'python3', 'python3-venv',
        'python3-dev', 'gcc'),
    # What builds that root, on the host.
    'functional-backports-host': ('mmdebstrap',),
    # The nova job: libvirt's RELAX NG schemas, for nova_tests'
    # test_domain_schema.
    'nova': ('libvirt0',),
    # tools/devstack-check.
    'devstack': ('shellcheck',),
    # tools/nova-gate: Nova's docs draw with graphviz's dot (Nova's
    # bindep).
    'nova-gate': ('graphviz',),
}


class DebianError(Exception):
    pass


def packages(*jobs):
    """The packages of these jobs, each once, in order."""
    found = []
    for job in jobs:
        try:
            found += [p for p in PACKAGES[job] if p not in found]
        except KeyError:
            raise DebianError('no job %s (jobs: %s)' % (
                job, ', '.join(sorted(PACKAGES))))
    return found


def with_suite(sources, suite, added):
    """deb822 apt sources with the suite added beside another one.

    :param sources: the text of .sources files (comment lines are left
        out: mmdebstrap reads no comments)
    :param suite: the suite whose stanzas get the other ('bookworm')
    :param added: the suite to add ('bookworm-backports')
    :raises: DebianError if no stanza has that suite
    """
    lines = []
    found = False
    for line in sources.splitlines():
        if line.startswith('#'):
            continue
        name, colon, value = line.partition(':')
        if colon and name == 'Suites' and suite in value.split():
            line += ' ' + added
            found = True
        lines.append(line)
    if not found:
        raise DebianError('no apt source has the suite %s to add %s to'
                          % (suite, added))
    return '\n'.join(lines) + '\n'


def is_installed(package):
    result = subprocess.run(['dpkg-query', '-W', '-f=${Status}', package],
                            capture_output=True, text=True, check=False)
    return result.stdout == 'install ok installed'


def missing(names):
    return [name for name in names if not is_installed(name)]


def _apt_get(args, log):
    """apt-get ARGS with its output appended to log; whether it worked."""
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    with open(log, 'a') as out:
        return subprocess.run(['apt-get', '-q'] + args, env=env,
                              stdin=subprocess.DEVNULL, stdout=out,
                              stderr=subprocess.STDOUT,
                              check=False).returncode == 0


def _with_update(args, log, done):
    """apt-get ARGS; if not done() then, apt-get update and once more."""
    _apt_get(args, log)
    if not done():
        _apt_get(['update'], log)
        _apt_get(args, log)
    return done()


@contextlib.contextmanager
def _daemons_held_back():
    """No maintainer script starts a daemon meanwhile.

    A policy-rc.d the machine has already is its owner's and stays as it
    is; the one written here is removed afterwards.
    """
    try:
        fd = os.open(POLICY_RC_D, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                     0o755)
    except FileExistsError:
        yield
        return
    try:
        with os.fdopen(fd, 'w') as policy:
            policy.write(FORBID_ALL)
        yield
    finally:
        os.unlink(POLICY_RC_D)


def install(names, log, start_daemons=True):
    """Install those of the packages that are missing.

    :param start_daemons: False: the packages' daemons are not started
        (the job starts its own; see the module's docstring)
    :returns: the packages installed
    :raises: DebianError naming what is still missing
    """
    wanted = missing(names)
    if not wanted:
        return []
    if os.geteuid() != 0:
        raise DebianError('missing Debian packages: %s (run as root to '
                          'install them)' % ' '.join(wanted))
    held_back = (contextlib.nullcontext() if start_daemons
                 else _daemons_held_back())
    with held_back:
        installed = _with_update(
            ['install', '-y', '--no-install-recommends'] + wanted, log,
            lambda: not missing(wanted))
    if not installed:
        raise DebianError('cannot install the Debian packages: %s (see %s)'
                          % (' '.join(missing(wanted)), log))
    return wanted


def depends(package, prefix):
    """The first dependency of package whose name starts with prefix, or
    None (apt-cache, from the package lists as they are).
    """
    result = subprocess.run(['apt-cache', 'depends', package],
                            capture_output=True, text=True, check=False)
    for line in result.stdout.splitlines():
        kind, _, name = line.strip().partition(' ')
        if kind == 'Depends:' and name.startswith(prefix):
            return name
    return None


def download(package_of, directory, log):
    """Download a package's .deb into directory (apt-get download).

    :param package_of: a callable giving the package's name, asked again
        after an update (a metapackage's dependency changes with the lists)
    :returns: (package name, path of the .deb)
    :raises: DebianError if it cannot be had
    """
    os.makedirs(directory, exist_ok=True)
    # apt-get download drops privileges to _apt where it can.
    os.chmod(directory, 0o755)

    def debs():
        name = package_of()
        return [entry for entry in os.listdir(directory)
                if name and entry.startswith(name + '_') and
                entry.endswith('.deb')]

    def fetch():
        name = package_of()
        if name:
            with open(log, 'a') as out:
                subprocess.run(['apt-get', '-q', 'download', name],
                               cwd=directory, stdin=subprocess.DEVNULL,
                               stdout=out, stderr=subprocess.STDOUT,
                               check=False)
        return bool(debs())

    if not fetch():
        _apt_get(['update'], log)
        if not fetch():
            name = package_of()
            raise DebianError('cannot download %s (see %s)' % (
                name or 'the package', log))
    return package_of(), os.path.join(directory, debs()[0])
