#!/usr/bin/env bash
# Make sure libfaketime is installed for the clock-skew tests (they run a node under a shifted clock with LD_PRELOAD).
# Installs Debian's faketime package when missing and we are root; otherwise says what to run. Exits 0 when it is there.
set -uo pipefail

have() { ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1; }
if have; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "fault-deps: libfaketime is missing; run: sudo apt-get install -y faketime" >&2
  exit 1
fi

echo "fault-deps: installing Debian's faketime for the clock-skew tests"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q faketime >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q faketime >/dev/null 2>&1; }
if have; then
  exit 0
fi
echo "fault-deps: could not install faketime (apt-get install faketime failed)" >&2
exit 1
