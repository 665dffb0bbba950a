#!/usr/bin/env bash
# Writes the secret files config/docker-compose.yml mounts, under config/secrets/ (git-ignored), once:
#   postgres_password, deploy_password, node_password    random passwords (PostgreSQL superuser, migrate login, node login)
#   deploy_connection, node_connection                   the connection strings built from them
#   operator_key_sha256                                  the hash of a new operator API key, printed once below
#
#   scripts/compose-secrets.sh            # then: docker compose -f config/docker-compose.yml up --build
# Existing files are kept (re-running prints nothing new); delete config/secrets/ to start afresh (with `down -v`).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir="$repo/config/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
umask 022 # files readable inside the containers (their users are not root); the directory stays 0700

random() { head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32; }
write() { [ -s "$dir/$1" ] || printf '%s' "$2" >"$dir/$1"; }

write postgres_password "$(random)"
write deploy_password "$(random)"
write node_password "$(random)"
write deploy_connection "Host=postgres;Port=5432;Username=scheduler_deploy;Password=$(cat "$dir/deploy_password");Database=scheduler"
write node_connection "Host=postgres;Port=5432;Username=scheduler_node;Password=$(cat "$dir/node_password");Database=scheduler"
if [ ! -s "$dir/operator_key_sha256" ]; then
  key="sk_$(random)$(random)"
  printf '%s' "$key" | sha256sum | cut -d' ' -f1 | tr -d '\n' >"$dir/operator_key_sha256"
  echo "Operator API key (shown once; sign in to the dashboard with it): $key"
fi
echo "Secrets in $dir"
