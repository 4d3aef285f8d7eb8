# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""Where things are in the repository."""

import pathlib

# The repository's root (tools/vrtools/layout.py is two levels down).
TOP = pathlib.Path(__file__).resolve().parent.parent.parent


def tools(top=TOP):
    return pathlib.Path(top) / 'tools'
