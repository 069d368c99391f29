-- Databases of the services on pg-control besides the control plane's own (POSTGRES_DB=helios):
-- the migration service keeps its migrations in helios_migration. Runs once, when the cluster's
-- data directory is created; on an existing volume create it by hand:
--   docker compose exec pg-control createdb -U helios helios_migration
CREATE DATABASE helios_migration OWNER helios;
