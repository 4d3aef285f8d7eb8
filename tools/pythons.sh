# shellcheck shell=bash
# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the tools that run tox (not run by itself).  Expects $top.
#
#   pythons_on_path    make python3.9 ... python3.13 runnable for tox: a
#                      version not runnable from PATH is looked for under
#                      pyenv (${PYENV_ROOT:-~/.pyenv}/versions/X.Y.*, the
#                      newest), and .tox-bootstrap/pythons/pythonX.Y,
#                      first on PATH, runs it (pyenv's shims answer only
#                      for the selected version; an exec, not a symlink,
#                      so that virtualenv sees the interpreter's own path)
#   python_for X.Y     print the interpreter used for X.Y, or fail

# PYTHONS may be set to fewer (tools/release-matrix).
PYTHONS=${PYTHONS:-3.9 3.10 3.11 3.12 3.13}

pythons_on_path() {
    # shellcheck disable=SC2154  # $top: set by the tool that sources this
    local dir=$top/.tox-bootstrap/pythons version found
    mkdir -p "$dir"
    for version in $PYTHONS; do
        rm -f "$dir/python$version"
        "python$version" -c '' 2>/dev/null && continue
        found=$(find "${PYENV_ROOT:-$HOME/.pyenv}/versions" -maxdepth 3 \
            -path "*/versions/$version.*/bin/python$version" 2>/dev/null |
            sort -V | tail -n 1)
        [ -n "$found" ] || continue
        printf '#!/bin/sh\nexec %s "$@"\n' "$found" > "$dir/python$version"
        chmod +x "$dir/python$version"
    done
    case ":$PATH:" in
        *":$dir:"*) ;;
        *) PATH=$dir:$PATH ;;
    esac
    export PATH
}

python_for() {
    local python
    python=$(command -v "python$1") && "$python" -c '' 2>/dev/null &&
        echo "$python"
}
