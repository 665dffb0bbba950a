#!/usr/bin/env bash
# Make sure Debian's prometheus package (the server and promtool) is installed for the observability tests: they run
# `promtool check rules` / `promtool test rules` on config/prometheus/ and one real Prometheus scraping a node.
# Installs the package when missing and we are root (server and promtool only, not the node exporter; apt does not
# start the packaged service); otherwise says what to run. Exits 0 when both are there.
set -uo pipefail
. "$(dirname "$0")/lib/debian-package.sh"

have() { command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; }
ensure_package prometheus-deps prometheus "(server and promtool) for the observability tests" --no-install-recommends
