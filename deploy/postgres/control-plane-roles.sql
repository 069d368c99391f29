-- The roles of the control plane's database (docs/deploy.md, "Database users"): the owner role owns the
-- schema and runs the migrations (Flyway: spring.flyway.user); the service role is what the control plane
-- logs in as (spring.datasource.username): it owns nothing, so it can neither alter nor drop a table, nor
-- disable the audit trail's triggers (docs/operations.md, "Audit trail").
-- Run by a role that may create roles (pg-control's superuser), with psql variables:
--   owner_role, service_role, service_password, database
-- Idempotent: run it again to change the service password. The grants on the tables themselves are made
-- after every migration by the Flyway callback flyway/afterMigrate__service_grants.sql.
-- The same text is in k8s/base/control-plane-db.yaml (deploy/validation checks they are equal).
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN', :'service_role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'service_role') \gexec

ALTER ROLE :"service_role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'service_password';
GRANT CONNECT ON DATABASE :"database" TO :"service_role";
GRANT USAGE ON SCHEMA public TO :"service_role";
-- only the owner creates objects (the default since PostgreSQL 15)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- rows of the tables and sequences the owner's migrations create from now on; the callback narrows the
-- audit tables to what migration V25 grants (SELECT, and appends through audit_append only)
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"service_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"service_role";
