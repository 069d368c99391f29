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

-- a new role has no other attribute; only a superuser could take them from an existing one (warned below)
ALTER ROLE :"service_role" WITH LOGIN PASSWORD :'service_password';
-- connect and use schema public (PUBLIC may both by default), and only the owner creates objects there
-- (the default since PostgreSQL 15); each needs the database's or the schema's owner, so an owner role
-- that owns neither leaves them as they are, with a notice. psql variables are not expanded in a DO
-- body: they travel as session settings.
\o /dev/null
SELECT set_config('helios.service_role', :'service_role', false), set_config('helios.database', :'database', false);
\o
DO $$
DECLARE
    service text := current_setting('helios.service_role');
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service
               AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)) THEN
        RAISE WARNING 'control plane roles: % has SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS: use a role without them, or the audit trail''s ownership may not bind it', service;
    END IF;
    BEGIN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_setting('helios.database'), service);
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', service);
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'control plane roles: % (grant CONNECT, USAGE on public to % by hand if PUBLIC lacks them)',
            SQLERRM, service;
    END;
END
$$;

-- rows of the tables and sequences the owner's migrations create from now on; the callback narrows the
-- audit tables to what migration V25 grants (SELECT, and appends through audit_append only)
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"service_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"service_role";
