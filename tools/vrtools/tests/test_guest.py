# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0

import os
import pathlib
import shutil
import struct
import tempfile
import unittest
from unittest import mock

from vrtools import guest

# As depmod writes it (a line a module; the backslashes only keep this
# file's lines short): each module, then every module it needs.
MODULES_DEP = """\
kernel/drivers/virtio/virtio.ko:
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_pci.ko: \
kernel/drivers/virtio/virtio_pci_legacy_dev.ko \
kernel/drivers/virtio/virtio_pci_modern_dev.ko \
kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko
kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
kernel/drivers/virtio/virtio_pci_modern_dev.ko:
kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko \
kernel/net/core/failover.ko kernel/drivers/virtio/virtio_ring.ko \
kernel/drivers/virtio/virtio.ko
kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
kernel/net/core/failover.ko:
kernel/fs/isofs/isofs.ko.xz:
kernel/drivers/some-thing.ko:
"""

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibjq.so.1 => /lib/x86_64-linux-gnu/libjq.so.1 (0x00007f21)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f21)
\tlibgone.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f21)
"""


class TestLoadOrder(unittest.TestCase):

    def assertBefore(self, first, second, order):
        self.assertLess(order.index(first), order.index(second))

    def test_each_after_what_it_needs_each_once(self):
        order = guest.load_order(MODULES_DEP, ['virtio_pci', 'virtio_net'])
        self.assertEqual(len(set(order)), len(order))
        self.assertEqual(8, len(order))
        dep = 'kernel/drivers/virtio/%s.ko'
        for needed in ('virtio', 'virtio_ring', 'virtio_pci_legacy_dev',
                       'virtio_pci_modern_dev'):
            self.assertBefore(dep % needed, dep % 'virtio_pci', order)
        self.assertBefore('kernel/net/core/failover.ko',
                          'kernel/drivers/net/net_failover.ko', order)
        self.assertBefore('kernel/drivers/net/net_failover.ko',
                          'kernel/drivers/net/virtio_net.ko', order)
        self.assertEqual('kernel/drivers/net/virtio_net.ko', order[-1])

    def test_names_as_the_kernel_does(self):
        self.assertEqual(['kernel/fs/isofs/isofs.ko.xz',
                          'kernel/drivers/some-thing.ko'],
                         guest.load_order(MODULES_DEP,
                                          ['isofs', 'some_thing']))
        self.assertEqual('some_thing',
                         guest.module_name('kernel/drivers/some-thing.ko'))

    def test_a_module_the_kernel_lacks(self):
        with self.assertRaises(guest.GuestError) as raised:
            guest.load_order(MODULES_DEP, ['virtio_blk'])
        self.assertEqual('the kernel has no module virtio_blk',
                         str(raised.exception))

    def test_a_cycle(self):
        with self.assertRaises(guest.GuestError):
            guest.load_order('a.ko: b.ko\nb.ko: a.ko\n', ['a'])


class TestLibraries(unittest.TestCase):

    def test_paths_and_the_loader(self):
        self.assertEqual(['/lib/x86_64-linux-gnu/libjq.so.1',
                          '/lib/x86_64-linux-gnu/libc.so.6',
                          '/lib64/ld-linux-x86-64.so.2'],
                         guest.libraries(LDD))


class TestInit(unittest.TestCase):

    def test_the_init_is_in_the_repository(self):
        with open(guest.init_path()) as f:
            self.assertEqual('#!/bin/busybox sh\n', f.readline())


class TestInstall(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.work = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.work)

    def test_what_a_link_names_with_its_mode(self):
        # As /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-...
        loader = self.work / 'lib' / 'ld-2.36.so'
        loader.parent.mkdir()
        loader.write_text('loader')
        loader.chmod(0o755)
        link = self.work / 'lib64' / 'ld-linux-x86-64.so.2'
        link.parent.mkdir()
        link.symlink_to(loader)
        root = self.work / 'root'
        target = guest.install(link, root, '/lib64/ld-linux-x86-64.so.2')
        self.assertEqual(root / 'lib64' / 'ld-linux-x86-64.so.2', target)
        self.assertFalse(target.is_symlink())
        self.assertEqual('loader', target.read_text())
        self.assertEqual(0o755, target.stat().st_mode & 0o777)

    def test_at_its_own_path_by_default(self):
        program = self.work / 'usr' / 'bin' / 'jq'
        program.parent.mkdir(parents=True)
        program.write_text('jq')
        root = self.work / 'root'
        self.assertEqual(root / str(program).lstrip('/'),
                         guest.install(program, root))
        self.assertTrue(os.path.exists(root / str(program).lstrip('/')))


def superblock(path):
    """The fields of an ext2/3/4 superblock the disk test reads: its magic,
    the block size, the block count, the compatible and incompatible
    feature flags and the volume label (the superblock's layout is in the
    kernel's Documentation/filesystems/ext4/super.rst).
    """
    with open(path, 'rb') as f:
        f.seek(1024)
        raw = f.read(1024)
    blocks, = struct.unpack_from('<I', raw, 4)
    log_block_size, = struct.unpack_from('<I', raw, 24)
    magic, = struct.unpack_from('<H', raw, 56)
    compat, incompat = struct.unpack_from('<II', raw, 92)
    label = raw[120:136].rstrip(b'\0').decode()
    return {'magic': magic, 'size': blocks * (1024 << log_block_size),
            'compat': compat, 'incompat': incompat, 'label': label}


class TestDisk(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.work = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.work)
        self.log = self.work / 'log'

    def test_an_empty_labelled_ext2_filesystem(self):
        disk = self.work / 'disk.img'
        guest.make_disk(disk, self.log)
        self.assertEqual(4 << 20, disk.stat().st_size)
        fields = superblock(disk)
        self.assertEqual(0xEF53, fields['magic'])
        self.assertEqual(4 << 20, fields['size'])
        self.assertEqual('vrcguest', fields['label'])
        # ext2: no journal (compatible flag 0x4), no extents
        # (incompatible flag 0x40).
        self.assertFalse(fields['compat'] & 0x4)
        self.assertFalse(fields['incompat'] & 0x40)
        self.assertEqual([disk.name, 'log'], sorted(os.listdir(self.work)))

    def test_replaces_an_old_disk(self):
        disk = self.work / 'disk.img'
        with open(disk, 'wb') as f:
            f.truncate(1 << 20)
        guest.make_disk(disk, self.log)
        self.assertEqual(4 << 20, disk.stat().st_size)
        self.assertEqual(0xEF53, superblock(disk)['magic'])

    def test_a_failure_names_the_log_and_keeps_the_old_disk(self):
        disk = self.work / 'disk.img'
        disk.write_bytes(b'old')
        with mock.patch.object(guest, 'DISK_SIZE', 'not-a-size'), \
                self.assertRaises(guest.GuestError) as raised:
            guest.make_disk(disk, self.log)
        self.assertIn(str(self.log), str(raised.exception))
        self.assertEqual(b'old', disk.read_bytes())
