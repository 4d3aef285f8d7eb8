# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""python3 tools/vrtools SUBCOMMAND: see vrtools.cli."""

import os
import sys

if not __package__:
    # Run as a directory (python3 tools/vrtools): Python put this
    # directory first on the path; the package's parent must be there.
    sys.path[0] = os.path.dirname(os.path.abspath(sys.path[0]))

from vrtools import cli  # noqa: E402

sys.exit(cli.main())
