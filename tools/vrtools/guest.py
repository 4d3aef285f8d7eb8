# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""The guest that the functional suite and the test cloud boot.

A Debian cloud kernel (the package linux-image-cloud-amd64 depends on)
and an initramfs made of:

- busybox-static (``/bin/busybox``, ``/bin/sh``),
- PROGRAMS with the libraries ldd names,
- the kernel modules of MODULES with every module they depend on, in
  load order (``/lib/modules/load-order``: depmod's modules.dep, each
  module after its dependencies, each once),
- ``testing/guest/init`` as ``/init`` (its header says what it does).

build() writes ``vmlinuz``, ``initramfs.gz``, ``disk.img`` and
``kernel-package`` into a directory, and does nothing when none of its
inputs changed (the stamp ``.inputs`` there).  The disk is a 4 MiB raw
image holding an empty ext2 filesystem: the cloud's image has the kernel,
the initramfs and a disk, and the init mounts that disk at ``/tmp`` (what
a test writes there moves with the server's disk, as on a disk-rooted
guest).
"""

import gzip
import os
import pathlib
import shutil
import subprocess
import tempfile

from vrtools import debian
from vrtools import layout
from vrtools import stamp

KERNEL_METAPACKAGE = 'linux-image-cloud-amd64'

# virtio NICs and disks on PCI; the IDE CD-ROM (on the "pc" machine type)
# and ISO 9660 of Nova's config drive.
MODULES = ('virtio_pci', 'virtio_net', 'virtio_blk', 'ata_piix', 'sr_mod',
           'isofs')

# Besides busybox: the cloud guest's SSH server, its key maker, the JSON
# reader of the config drive, and what finds the drive.
PROGRAMS = ('/usr/sbin/dropbear', '/usr/bin/dropbearkey', '/usr/bin/jq',
            '/bin/lsblk', '/sbin/blkid')

BUSYBOX = '/bin/busybox'

FILES = ('vmlinuz', 'initramfs.gz', 'disk.img', 'kernel-package')

# The guest's disk: an empty ext2 filesystem (the init mounts it with the
# kernel's ext4 driver), labelled as the guest's.
DISK_SIZE = '4M'
DISK_LABEL = 'vrcguest'

# Directories the init expects before it mounts anything.
_DIRECTORIES = ('bin', 'sbin', 'usr/bin', 'usr/sbin', 'lib/modules', 'dev',
                'proc', 'sys')


class GuestError(Exception):
    pass


def init_path(top=layout.TOP):
    return pathlib.Path(top) / 'testing' / 'guest' / 'init'


def module_name(path):
    """'kernel/drivers/net/virtio_net.ko' -> 'virtio_net'."""
    name = os.path.basename(path)
    return name[:name.index('.ko')].replace('-', '_')


def load_order(modules_dep, wanted):
    """The modules to load, each after what it depends on, each once.

    :param modules_dep: the text of depmod's modules.dep
    :param wanted: module names
    :returns: their paths as modules.dep has them (relative to the
        kernel's module directory)
    :raises: GuestError naming a module the kernel does not have
    """
    depends = {}
    paths = {}
    for line in modules_dep.splitlines():
        path, colon, deps = line.partition(':')
        if not colon:
            continue
        paths[module_name(path)] = path.strip()
        depends[path.strip()] = deps.split()
    order = []

    def visit(path, seen):
        if path in order:
            return
        if path in seen:
            raise GuestError('modules.dep has a cycle through %s' % path)
        for dep in depends.get(path, ()):
            visit(dep, seen | {path})
        order.append(path)

    for name in wanted:
        if name not in paths:
            raise GuestError('the kernel has no module %s' % name)
        visit(paths[name], frozenset())
    return order


def libraries(ldd_output):
    """The library paths in ldd's output (the loader included)."""
    found = []
    for line in ldd_output.splitlines():
        fields = line.split()
        if '=>' in fields:
            after = fields[fields.index('=>') + 1:]
            if after and after[0].startswith('/'):
                found.append(after[0])
        elif fields and fields[0].startswith('/'):
            found.append(fields[0])
    return found


def _run(argv, log, **kwargs):
    with open(log, 'a') as out:
        result = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT,
                                check=False, **kwargs)
    if result.returncode != 0:
        raise GuestError('%s failed (see %s)' % (' '.join(argv), log))


def _kernel_package():
    return debian.depends(KERNEL_METAPACKAGE, 'linux-image-')


def _key(kernel_package, top):
    key = stamp.Key().word(kernel_package).file(init_path(top))
    key.file(BUSYBOX)
    for program in PROGRAMS:
        key.word(program).file(program)
    # This module: what goes in and how.
    return key.file(__file__).hexdigest()


def install(source, root, path=None):
    """Copy a file into the initramfs tree root, at path (default: its
    own path): what a link names, with its mode (the loader must stay
    executable, or no dynamic program runs).
    """
    target = pathlib.Path(root) / (path or str(source)).lstrip('/')
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


def _stage(kernel_root, root, top, log):
    """The initramfs's tree, in root."""
    versions = os.listdir(kernel_root / 'lib' / 'modules')
    if len(versions) != 1:
        raise GuestError('the kernel package has %d module directories'
                         % len(versions))
    modules = kernel_root / 'lib' / 'modules' / versions[0]
    _run(['depmod', '-b', str(kernel_root), versions[0]], log)
    order = load_order((modules / 'modules.dep').read_text(), MODULES)
    for directory in _DIRECTORIES:
        (root / directory).mkdir(parents=True, exist_ok=True)
    install(BUSYBOX, root)
    (root / 'bin' / 'sh').symlink_to('busybox')
    for path in order:
        shutil.copy(modules / path, root / 'lib' / 'modules')
    (root / 'lib' / 'modules' / 'load-order').write_text(
        ''.join(module_name(path) + '\n' for path in order))
    needed = set()
    for program in PROGRAMS:
        install(program, root)
        ldd = subprocess.run(['ldd', program], capture_output=True,
                             text=True, check=True).stdout
        needed.update(libraries(ldd))
    for library in sorted(needed):
        install(library, root)
    os.chmod(install(init_path(top), root, '/init'), 0o755)


def _archive(root, out):
    """root as a gzipped newc cpio archive (busybox cpio), in out."""
    names = ['.']
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            names.append('./' + os.path.relpath(
                os.path.join(directory, name), root))
    listing = ''.join(name + '\n' for name in sorted(names))
    archive = subprocess.run([BUSYBOX, 'cpio', '-o', '-H', 'newc'],
                             input=listing.encode(), cwd=root,
                             capture_output=True, check=True).stdout
    new = out.with_name(out.name + '.new')
    new.write_bytes(gzip.compress(archive, compresslevel=9, mtime=0))
    os.replace(new, out)


def make_disk(path, log):
    """An empty ext2 filesystem of DISK_SIZE in the raw image path."""
    path = pathlib.Path(path)
    new = path.with_name(path.name + '.new')
    # mke2fs formats an existing file as it is; a new one, at the size.
    new.unlink(missing_ok=True)
    _run(['mke2fs', '-q', '-t', 'ext2', '-L', DISK_LABEL, str(new),
          DISK_SIZE], log)
    os.replace(new, path)


def build(dest, log, top=layout.TOP):
    """Build the guest into dest, unless it is there already.

    :returns: (the kernel package, whether it was built)
    :raises: GuestError, debian.DebianError
    """
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    kernel_package = _kernel_package()
    guest_stamp = stamp.Stamp(dest / '.inputs')
    if (kernel_package is not None and
            guest_stamp.matches(_key(kernel_package, top)) and
            all((dest / name).is_file() for name in FILES)):
        return kernel_package, False
    with tempfile.TemporaryDirectory(prefix='vrtools-guest-') as work:
        work = pathlib.Path(work)
        kernel_package, deb = debian.download(_kernel_package,
                                              work / 'kernel', log)
        kernel_root = work / 'kernel' / 'root'
        _run(['dpkg-deb', '-x', deb, str(kernel_root)], log)
        root = work / 'initramfs'
        _stage(kernel_root, root, top, log)
        _archive(root, dest / 'initramfs.gz')
        vmlinuz = sorted((kernel_root / 'boot').glob('vmlinuz-*'))
        if not vmlinuz:
            raise GuestError('%s has no vmlinuz' % kernel_package)
        shutil.copy(vmlinuz[0], dest / 'vmlinuz.new')
        os.replace(dest / 'vmlinuz.new', dest / 'vmlinuz')
    make_disk(dest / 'disk.img', log)
    (dest / 'kernel-package').write_text(kernel_package + '\n')
    guest_stamp.write(_key(kernel_package, top))
    return kernel_package, True
