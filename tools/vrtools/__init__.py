# Copyright 2026 The os-vif-vrouter authors
# SPDX-License-Identifier: Apache-2.0
"""The steps the project's tools share, once each, in Python.

Standard library only: the tools run it as root with the machine's
``python3`` before any virtualenv exists, inside tox environments and
inside the functional-backports root.  Shell scripts call it as

    python3 tools/vrtools SUBCOMMAND ...     (tools/vrtools/cli.py)

and the tools written in Python import it (``sys.path`` holds tools/).
Its unit tests run in ``tox -e tools``.
"""
