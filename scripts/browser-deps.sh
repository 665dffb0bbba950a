#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium for the dashboard's browser test (Playwright drives it;
# it cannot download a browser of its own here). Installs the package (about 130 packages) when missing and we are
# root; otherwise says what to run. Exits 0 when chromium is there. SCHEDULER_NO_BROWSER=1 scripts/test.sh skips it.
set -uo pipefail
. "$(dirname "$0")/lib/debian-package.sh"

have() { [ -x /usr/bin/chromium ]; }
ensure_package browser-deps chromium "(about 130 packages) for the dashboard browser test; SCHEDULER_NO_BROWSER=1 scripts/test.sh skips it"
