#!/bin/sh
# Runs once, when the postgres container initialises its data directory (after 10-roles.sql, which is sql/roles.sql):
# creates the two login roles the compose file uses, with passwords from the mounted secret files.
#   scheduler_deploy  member of scheduler_owner:   `scheduler migrate`
#   scheduler_node    member of scheduler_runtime: the nodes and the CLI's actions
# Neither is a superuser: a node connected as one would run every sql job with all of PostgreSQL's power.
set -eu
deploy_password=$(cat /run/secrets/deploy_password)
node_password=$(cat /run/secrets/node_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v deploy_password="$deploy_password" -v node_password="$node_password" <<'SQL'
CREATE ROLE scheduler_deploy LOGIN PASSWORD :'deploy_password' IN ROLE scheduler_owner;
CREATE ROLE scheduler_node LOGIN PASSWORD :'node_password' IN ROLE scheduler_runtime;
SQL
