# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Prepare this machine for the functional suite: see
tools/functional-setup.
"""

from vrtools import debian
from vrtools import guest
from vrtools import layout
from vrtools import say


def main(top=layout.TOP):
    speaker = say.Speaker('functional-setup')
    build = top / '.functional-build'
    build.mkdir(parents=True, exist_ok=True)
    log = build / 'apt.log'
    log.write_text('')
    try:
        installed = debian.install(debian.packages('functional'), log)
        if installed:
            speaker.step('installed', ' '.join(installed) + ',')
        kernel, built = guest.build(build / 'guest', log, top=top)
    except (debian.DebianError, guest.GuestError) as exc:
        return speaker.fail(str(exc))
    speaker('guest: %s, %s' % (kernel, build / 'guest' / 'initramfs.gz'),
            '(built)' if built else '(up to date)')
    return 0
