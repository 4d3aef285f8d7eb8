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

"""Give a Debian root the host's ids for the accounts libvirt and QEMU use.

A root (``tools/functional-backports-root``) runs its own libvirtd and
QEMU on files it may share with the host: for a compute node whose
nova-compute runs on the host, the instances directory and the vhost-user
socket directory, which the host's side makes for QEMU by account name.
An id must mean the same account on both sides, or QEMU cannot use what
the host made for it.

Both sides allocate the ids of packages' system accounts (Debian's
100-999) in the order the packages were installed, so the same name
rarely has the same id, and the id the host gives ``kvm`` may belong to
another group of the root (``libvirt``, say).  Only the root changes:

- each aligned name (``ALIGNED_GROUPS``, ``ALIGNED_USERS``) that both
  sides have gets the host's id;
- an account of the root that holds that id already moves first to the
  lowest dynamic id nobody uses or wants, if it is a dynamic system
  account: the fixed ones (``root``, ``users``, Debian's global ids) mean
  the same on every Debian system, and the name stays where it is (said
  in a note);
- the root's files follow their account, as ``groupmod`` and ``usermod``
  would leave them behind (set-id bits and file capabilities kept).

Each move of one id is done on the files first, then in the account
files (``/etc/passwd`` before ``/etc/group``): a run stopped half-way
leaves the accounts as they were, and the next run plans the same move
and finishes it.  A root already aligned is left untouched.  Run as
root, before anything is mounted inside the root (the walk stays on the
root's own file system anyway).

    python3 -m vrouter_functional.root_accounts ROOT
"""

import grp
import os
import pwd
import re
import stat
import sys

ALIGNED_GROUPS = ('kvm', 'libvirt', 'libvirt-qemu')
ALIGNED_USERS = ('libvirt-qemu',)

# Debian Policy 9.2.2: 100-999 are allocated dynamically to system
# accounts as packages are installed; 0-99 and the group users (100) are
# base-passwd's, 60000-64999 are fixed by Debian, 65534 is nobody.
_DYNAMIC = range(101, 1000)

_CAPABILITY_XATTR = 'security.capability'
_OCTAL_ESCAPE = re.compile(r'\\([0-7]{3})')


class AccountsError(Exception):
    pass


def plan(root_ids, wanted):
    """How to renumber a root's accounts of one kind (users or groups).

    :param root_ids: {name: id} of the root's accounts
    :param wanted: {name: id} the host gives the names to align
    :returns: ([(old id, new id)] moves, in order, each to an id nobody
        holds at that point; [notes on names left as they are])
    :raises: AccountsError if two names want one id, or the root has one
        id twice
    """
    by_id = {}
    for name, number in root_ids.items():
        if number in by_id:
            raise AccountsError('the root has id %d twice (%s and %s)' % (
                number, by_id[number], name))
        by_id[number] = name
    taken = {}
    for name, number in wanted.items():
        if number in taken:
            raise AccountsError('%s and %s both want id %d' % (
                taken[number], name, number))
        taken[number] = name

    current = dict(root_ids)
    moves = []
    notes = []
    for name, number in sorted(wanted.items()):
        if name not in current:
            notes.append('%s: not in the root' % name)
            continue
        if current[name] == number:
            continue
        holder = next((other for other, held in current.items()
                       if held == number), None)
        if holder is not None:
            if number not in _DYNAMIC:
                notes.append('%s: left at %d, as %d is %s, a fixed id '
                             'that means the same on the host' % (
                                 name, current[name], number, holder))
                continue
            used = set(current.values()) | set(wanted.values())
            free = next((n for n in _DYNAMIC if n not in used), None)
            if free is None:
                raise AccountsError('no free id for %s' % holder)
            moves.append((number, free))
            current[holder] = free
        moves.append((current[name], number))
        current[name] = number
    return moves, notes


def read_db(path):
    """The lines of an /etc/passwd or /etc/group file, split on ':'."""
    with open(path) as f:
        return [line.rstrip('\n').split(':') for line in f if line.strip()]


def write_db(path, entries):
    """Replace an /etc/passwd or /etc/group file, keeping its mode."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    new = path + '+'
    with open(new, 'w') as f:
        f.write(''.join(':'.join(fields) + '\n' for fields in entries))
    os.chmod(new, mode)
    os.replace(new, path)


def renumber_db(entries, field, old, new):
    """The entries with id old in field (2: the account's own id; 3:
    passwd's primary group) renumbered to new.
    """
    return [fields[:field] + [str(new)] + fields[field + 1:]
            if fields[field] == str(old) else fields
            for fields in entries]


def _renumber_file(path, uids, gids):
    """Renumber one file's owner and group; whether it changed."""
    st = os.lstat(path)
    uid = uids.get(st.st_uid, st.st_uid)
    gid = gids.get(st.st_gid, st.st_gid)
    if (uid, gid) == (st.st_uid, st.st_gid):
        return False
    capability = None
    if stat.S_ISREG(st.st_mode):
        try:
            capability = os.getxattr(path, _CAPABILITY_XATTR)
        except OSError:
            pass  # none
    os.lchown(path, uid, gid)
    if not stat.S_ISLNK(st.st_mode):
        os.chmod(path, stat.S_IMODE(st.st_mode))
    if capability is not None:
        os.setxattr(path, _CAPABILITY_XATTR, capability)
    return True


def mount_points(mountinfo='/proc/self/mountinfo'):
    """The mount points of this mount namespace (bind mounts too)."""
    points = set()
    with open(mountinfo) as f:
        for line in f:
            # Field 5, with spaces and the like as octal escapes (\040).
            points.add(_OCTAL_ESCAPE.sub(
                lambda match: chr(int(match.group(1), 8)),
                line.split()[4]))
    return points


def renumber_files(root, uids, gids):
    """Give every file of the root whose owner or group is renumbered its
    new ids, on the root's own file system only.

    chown() clears set-id bits and file capabilities: both are put back.

    :param uids: {old uid: new uid}
    :param gids: {old gid: new gid}
    :returns: how many files changed
    """
    device = os.lstat(root).st_dev
    mounts = mount_points()
    changed = int(_renumber_file(root, uids, gids))
    for directory, subdirs, files in os.walk(root):
        # A mount point (a bind mount, /proc) holds nothing of the root's.
        subdirs[:] = [
            name for name in subdirs
            if os.path.join(directory, name) not in mounts and
            os.lstat(os.path.join(directory, name)).st_dev == device]
        for name in subdirs + files:
            changed += _renumber_file(os.path.join(directory, name),
                                      uids, gids)
    return changed


def host_wanted():
    """The host's ids of the names to align: ({group: gid}, {user: uid}).
    """
    groups = {}
    for name in ALIGNED_GROUPS:
        try:
            groups[name] = grp.getgrnam(name).gr_gid
        except KeyError:
            pass  # not on this host: nothing to agree on
    users = {}
    for name in ALIGNED_USERS:
        try:
            users[name] = pwd.getpwnam(name).pw_uid
        except KeyError:
            pass
    return groups, users


def align(root, groups, users):
    """Renumber the root's accounts to the wanted ids.

    :param groups: {group name: gid}
    :param users: {user name: uid}
    :returns: notes, one line each, on what changed or stayed
    """
    group_path = os.path.join(root, 'etc', 'group')
    passwd_path = os.path.join(root, 'etc', 'passwd')
    group_moves, notes = plan(
        {e[0]: int(e[2]) for e in read_db(group_path)}, groups)
    user_moves, user_notes = plan(
        {e[0]: int(e[2]) for e in read_db(passwd_path)}, users)
    notes += user_notes
    for old, new in group_moves:
        changed = renumber_files(root, {}, {old: new})
        write_db(passwd_path, renumber_db(read_db(passwd_path), 3, old, new))
        write_db(group_path, renumber_db(read_db(group_path), 2, old, new))
        notes.append('gid %d -> %d (%d files)' % (old, new, changed))
    for old, new in user_moves:
        changed = renumber_files(root, {old: new}, {})
        write_db(passwd_path, renumber_db(read_db(passwd_path), 2, old, new))
        notes.append('uid %d -> %d (%d files)' % (old, new, changed))
    return notes


def main(argv):
    if len(argv) != 2:
        sys.exit('usage: python3 -m vrouter_functional.root_accounts ROOT')
    groups, users = host_wanted()
    try:
        notes = align(argv[1], groups, users)
    except AccountsError as exc:
        sys.exit('root_accounts: %s' % exc)
    for note in notes:
        print('root_accounts: %s' % note)


if __name__ == '__main__':
    main(sys.argv)
