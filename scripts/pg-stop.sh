#!/usr/bin/env bash
# Stop the throwaway PostgreSQL that scripts/pg-start.sh started in DIR (default .local/pg).
#   scripts/pg-stop.sh [--dir DIR] [--purge]     --purge also deletes its data.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir="$repo/.local/pg"
purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --purge) purge=1; shift ;;
    *) echo "pg-stop: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
data="$dir/data"
if [ -f "$data/postmaster.pid" ]; then
  bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | head -n 1)")
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  else
    "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
fi
if [ "$purge" -eq 1 ]; then rm -rf "$dir"; fi
