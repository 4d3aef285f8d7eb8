# shellcheck shell=bash
# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the tools that work on one Nova release of the patch series
# (not run by itself).  Expects $top, the repository root.  The release
# list is read by tools/vrtools (vrtools.releases), once for every tool.
#
#   nova_releases           print every release of patches/releases
#   nova_default_release    print the default release (the first)
#   nova_use_release [R]    set and export NOVA_RELEASE (R, or the
#                           default), NOVA_VERSION, NOVA_SDIST_SHA256,
#                           PATCH_DIR, NOVA_TREE (its default tree),
#                           NOVA_IS_DEFAULT (1 or 0) and NOVA_CONSTRAINTS;
#                           exits if R is not in patches/releases
#   nova_tree_release TREE  print the release a tree of tools/nova-tree
#                           was built from (its import commit says it)

nova_releases() {
    # shellcheck disable=SC2154  # $top: set by the tool that sources this
    python3 "$top/tools/vrtools" nova-releases
}

nova_default_release() {
    nova_releases | head -n 1
}

nova_use_release() {
    local assignments
    assignments=$(python3 "$top/tools/vrtools" nova-release "${1:-}") ||
        exit 2
    eval "$assignments"
    export NOVA_RELEASE NOVA_VERSION NOVA_SDIST_SHA256 PATCH_DIR NOVA_TREE \
        NOVA_IS_DEFAULT NOVA_CONSTRAINTS
}

nova_tree_release() {
    git -C "$1" log -1 --format=%s pristine 2>/dev/null |
        sed -n 's/^Import nova \([^ ]*\) from PyPI$/\1/p'
}
