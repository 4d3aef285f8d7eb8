# shellcheck shell=bash
# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
#
# Minimal stand-ins for the devstack functions that lib/os-vif-vrouter
# uses, for test_devstack_plugin.py (devstack itself is not run).  Each
# does what devstack's does for the arguments the plugin passes, no more:
#
#   setup_develop DIR     devstack: pip install -e DIR with its
#                         upper-constraints; here: pip_install -e DIR
#   pip_install ARGS      devstack: pip install into Nova's environment,
#                         constrained; here: $PYTHON -m pip install with
#                         $OS_VIF_VROUTER_TEST_CONSTRAINTS
#   iniset FILE SECTION OPTION VALUE
#                         set OPTION in [SECTION] of FILE, creating both
#                         as needed where devstack's iniset does, other
#                         lines untouched
#   die LINENO MESSAGE... print the message and exit 1
#   is_service_enabled SERVICE...
#                         true if one of them is in $ENABLED_SERVICES
#   echo_summary MESSAGE  print it

function die {
    local line=$1
    shift
    echo "[ERROR] lib/os-vif-vrouter:$line $*" >&2
    exit 1
}

function pip_install {
    "$PYTHON" -m pip install --quiet --disable-pip-version-check \
        -c "$OS_VIF_VROUTER_TEST_CONSTRAINTS" "$@"
}

function setup_develop {
    pip_install -e "$1"
}

function iniset {
    # As devstack's: a new option goes right after its section's header; a
    # new section is appended after an empty line.
    python3 - "$@" <<'PYEOF'
import re
import sys

path, section, option, value = sys.argv[1:5]
try:
    with open(path) as f:
        lines = f.read().splitlines()
except FileNotFoundError:
    lines = []
setting = '%s = %s' % (option, value)
header = None
for i, line in enumerate(lines):
    if line.strip() == '[%s]' % section:
        header = i
        break
if header is None:
    lines += ['', '[%s]' % section, setting]
else:
    found = False
    for i in range(header + 1, len(lines)):
        if lines[i].lstrip().startswith('['):
            break
        if re.match(r'^\s*%s\s*=' % re.escape(option), lines[i]):
            lines[i] = setting
            found = True
            break
    if not found:
        lines.insert(header + 1, setting)
with open(path, 'w') as f:
    f.write('\n'.join(lines) + '\n')
PYEOF
}

function is_service_enabled {
    local service
    for service in "$@"; do
        [[ ",$ENABLED_SERVICES," == *",$service,"* ]] && return 0
    done
    return 1
}

function echo_summary {
    echo "$@"
}
