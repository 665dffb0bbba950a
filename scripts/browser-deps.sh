#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium for the dashboard's browser test (Playwright drives it;
# it cannot download a browser of its own here). Installs the package when missing and we are root; otherwise
# says what to run. Exits 0 when chromium is there.
set -uo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "browser-deps: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2
  exit 1
fi

echo "browser-deps: installing Debian's chromium (about 130 packages, as root) for the dashboard browser test;" \
  "SCHEDULER_NO_BROWSER=1 scripts/test.sh skips it"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "browser-deps: could not install chromium (apt-get install chromium failed)" >&2
exit 1
