# shellcheck shell=bash
# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the tools that work on one Nova release of the patch series
# (not run by itself).  Expects $top, the repository root.
#
#   nova_releases           print every release of patches/releases
#   nova_default_release    print the default release (the first)
#   nova_use_release [R]    set NOVA_RELEASE (R, or the default),
#                           PATCH_DIR, NOVA_TREE (its default tree),
#                           NOVA_IS_DEFAULT (1 or 0), and NOVA_VERSION
#                           and NOVA_SDIST_SHA256 from its nova-base;
#                           exits if R is not in patches/releases
#   nova_tree_release TREE  print the release a tree of tools/nova-tree
#                           was built from (its import commit says it)

nova_releases() {
    # shellcheck disable=SC2154  # $top: set by the tool that sources this
    grep -v -e '^#' -e '^[[:space:]]*$' "$top/patches/releases"
}

nova_default_release() {
    nova_releases | head -n 1
}

nova_use_release() {
    NOVA_RELEASE=${1:-$(nova_default_release)}
    if ! nova_releases | grep -qxF "$NOVA_RELEASE"; then
        echo "$(basename "$0"): no series for nova $NOVA_RELEASE" \
            "(patches/releases has: $(nova_releases | tr '\n' ' '))" >&2
        exit 2
    fi
    PATCH_DIR=$top/patches/$NOVA_RELEASE
    if [ "$NOVA_RELEASE" = "$(nova_default_release)" ]; then
        NOVA_IS_DEFAULT=1
        NOVA_TREE=$top/.nova-build/tree
    else
        NOVA_IS_DEFAULT=0
        NOVA_TREE=$top/.nova-build/tree-$NOVA_RELEASE
    fi
    # shellcheck source-path=SCRIPTDIR source=../patches/34.0.0/nova-base
    . "$PATCH_DIR/nova-base"
    if [ "$NOVA_VERSION" != "$NOVA_RELEASE" ]; then
        echo "$(basename "$0"): $PATCH_DIR/nova-base pins nova" \
            "$NOVA_VERSION, not $NOVA_RELEASE" >&2
        exit 2
    fi
    export NOVA_RELEASE PATCH_DIR NOVA_TREE NOVA_IS_DEFAULT
}

nova_tree_release() {
    git -C "$1" log -1 --format=%s pristine 2>/dev/null |
        sed -n 's/^Import nova \([^ ]*\) from PyPI$/\1/p'
}
