#!/usr/bin/env bash
# Make sure Debian's prometheus package (the server and promtool) is installed for the observability tests: they run
# `promtool check rules` / `promtool test rules` on config/prometheus/ and one real Prometheus scraping a node.
# Installs the package when missing and we are root; otherwise says what to run. Exits 0 when both are there.
set -uo pipefail

have() { command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; }
if have; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "prometheus-deps: prometheus/promtool are missing; run: sudo apt-get install -y --no-install-recommends prometheus" >&2
  exit 1
fi

echo "prometheus-deps: installing Debian's prometheus (server and promtool) for the observability tests"
export DEBIAN_FRONTEND=noninteractive
# --no-install-recommends: the server and promtool only, not the node exporter; policy-rc.d keeps apt from starting the
# packaged service (the tests start their own Prometheus on a free port with a temporary data directory).
install() {
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1; fi
  apt-get install -y -q --no-install-recommends prometheus >/dev/null 2>&1
  local rc=$?
  [ "$created" -eq 1 ] && rm -f "$policy"
  return $rc
}
install || { apt-get update -q >/dev/null 2>&1 && install; }
if have; then
  exit 0
fi
echo "prometheus-deps: could not install prometheus (apt-get install prometheus failed)" >&2
exit 1
