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

"""Every regex of a tempest include or exclude list selects a test.

    tempest run --list-tests ... | python -m vrouter_cloud.selection LIST...

``tempest run`` runs nothing for a regex that matches no test, and says
nothing: a test id ends with its idempotent id and tags
(``...test_rebuild[id-4e8d...,slow]``), so a regex that ends in ``$``
after the test's name quietly selects none.  Reads the test ids on
standard input, reads each list as stestr does (the regex is what comes
before a ``#``), prints each regex that matches no test id, and exits 1
if there is one.
"""

import re
import sys


def regexes(lines):
    """The regexes of an include or exclude list, as stestr reads them."""
    found = []
    for line in lines:
        regex = line.split('#')[0].strip()
        if regex:
            found.append(regex)
    return found


def unmatched(patterns, test_ids):
    """The patterns that select none of the test ids (stestr: search)."""
    return [pattern for pattern in patterns
            if not any(re.search(pattern, test_id) for test_id in test_ids)]


def main(argv=None):
    paths = sys.argv[1:] if argv is None else argv
    test_ids = [line.strip() for line in sys.stdin if line.strip()]
    missing = 0
    for path in paths:
        with open(path) as f:
            for pattern in unmatched(regexes(f), test_ids):
                print('%s: %s selects no test' % (path, pattern),
                      file=sys.stderr)
                missing += 1
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
