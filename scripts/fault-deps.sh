#!/usr/bin/env bash
# Make sure libfaketime is installed for the clock-skew tests (they run a node under a shifted clock with LD_PRELOAD).
# Installs Debian's faketime package when missing and we are root; otherwise says what to run. Exits 0 when it is there.
set -uo pipefail
. "$(dirname "$0")/lib/debian-package.sh"

have() { ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1; }
ensure_package fault-deps faketime "for the clock-skew tests"
