-- Flyway callback of the deployments (docker-compose.yml, k8s/: SPRING_FLYWAY_LOCATIONS adds this directory),
-- run by the migrating owner after every migrate, also when nothing was pending. The role the control plane
-- logs in as (placeholder auditServiceRole: spring.datasource.username) reads and writes the rows of the
-- control plane's tables, but writes the audit trail only through audit_append (migration V25: SELECT on the
-- audit tables, EXECUTE on its functions) and never Flyway's history. Re-applied each time, so tables of
-- later migrations are covered and a database migrated before the roles were split is brought in line.
-- Does nothing when the service logs in as the migrating user (./helios local).
DO $$
DECLARE
    service text := '${auditServiceRole}';
    target text := '${flyway:defaultSchema}';
    audit_sequence regclass;
BEGIN
    IF service = current_user OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service) THEN
        RAISE NOTICE 'service grants: role "%" is the migrating user or does not exist, nothing granted', service;
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', target, service);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', target, service);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', target, service);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I', target, service);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I.audit_event, %I.audit_chain_head, %I.audit_checkpoint,'
        ' %I.%I FROM %I', target, target, target, target, '${flyway:table}', service);
    FOR audit_sequence IN
        SELECT s.oid::regclass FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
            JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE s.relkind = 'S' AND n.nspname = target AND t.relname IN ('audit_event', 'audit_checkpoint')
    LOOP
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %I', audit_sequence, service);
    END LOOP;
END
$$;
