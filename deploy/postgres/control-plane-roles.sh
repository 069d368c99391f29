#!/bin/sh
# pg-control's first start only (an empty data directory): the postgres image runs this as its superuser
# POSTGRES_USER, the owner of the control plane's schema, which also runs the migrations. It creates the
# role the control plane logs in as (docker-compose.yml: HELIOS_DB_SERVICE_USER / _PASSWORD). To run it on
# a database created before (an upgrade), see docs/deploy.md, "Database users".
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_role="$POSTGRES_USER" -v database="$POSTGRES_DB" \
  -v service_role="$HELIOS_DB_SERVICE_USER" -v service_password="$HELIOS_DB_SERVICE_PASSWORD" \
  -f /opt/helios/control-plane-roles.sql
