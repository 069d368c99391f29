package io.helios.postgres.fence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Event triggers that keep the fence's triggers and fenced tables out of applications' reach. A
 * table's owner may disable, drop or replace the triggers of its table, and alter or drop the table,
 * whatever the trigger function's owner: {@code helios_fence_ddl} ({@code ddl_command_end}) and
 * {@code helios_fence_drop} ({@code sql_drop}) refuse, with SQLSTATE 42501, from any session whose
 * user is not an applier (a member of {@link FenceSecurity#APPLIER}, or a superuser):
 * <ul>
 *   <li>any DDL on a table protected by the fence while one of its tenants is fenced;</li>
 *   <li>any DDL in a schema of a fenced SCHEMA or DATABASE tenant (CREATE TABLE included);</li>
 *   <li>a fence trigger left not enabled (DISABLE TRIGGER, ENABLE REPLICA/ALWAYS), renamed or
 *       dropped (DROP TRIGGER, DROP TABLE, DROP SCHEMA ... CASCADE), fenced or not.</li>
 * </ul>
 * The applier runs with {@code session_replication_role = replica}, where event triggers do not
 * fire either. Creating an event trigger needs a superuser; superusers pass everything (preflight
 * warns about applications that are). Stateless.
 */
final class DdlGuard {

    /** The tenant fenced on relation {@code $1}, by the helios triggers' arguments. */
    private static final String REL_TENANT = """
            SELECT f.tenant_id FROM pg_catalog.pg_trigger t
              JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid AND p.pronamespace = pg_catalog.to_regnamespace('helios')
              JOIN helios.tenant_fence f ON position(pg_catalog.decode('00', 'hex')
                   || pg_catalog.convert_to(f.tenant_id, 'UTF8') || pg_catalog.decode('00', 'hex') IN t.tgargs) > 0
             WHERE t.tgrelid = $1 LIMIT 1""";

    /** The fenced SCHEMA/DATABASE tenant whose tables live in schema {@code $1}. */
    private static final String SCHEMA_TENANT = """
            SELECT f.tenant_id FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
              JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid AND p.pronamespace = pg_catalog.to_regnamespace('helios')
              JOIN helios.tenant_fence f ON t.tgargs = pg_catalog.convert_to('tenant', 'UTF8') || pg_catalog.decode('00', 'hex')
                   || pg_catalog.convert_to(f.tenant_id, 'UTF8') || pg_catalog.decode('00', 'hex')
             WHERE c.relnamespace = $1 LIMIT 1""";

    static final String DDL_FUNCTION = """
            CREATE OR REPLACE FUNCTION helios.fence_ddl_guard() RETURNS event_trigger LANGUAGE plpgsql%s AS $f$
            -- helios fence ddl guard v1
            DECLARE
              r record;
              v_rel oid;
              v_tenant text;
              v_trigger text;
            BEGIN
              IF pg_catalog.pg_has_role(session_user, '%s', 'MEMBER') THEN
                RETURN;
              END IF;
              FOR r IN SELECT * FROM pg_catalog.pg_event_trigger_ddl_commands() LOOP
                v_rel := NULL;
                v_tenant := NULL;
                IF r.classid = 'pg_catalog.pg_class'::pg_catalog.regclass THEN
                  v_rel := r.objid;
                  SELECT i.indrelid INTO v_rel FROM pg_catalog.pg_index i WHERE i.indexrelid = r.objid;
                  v_rel := coalesce(v_rel, r.objid);
                ELSIF r.classid = 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN
                  SELECT t.tgrelid INTO v_rel FROM pg_catalog.pg_trigger t WHERE t.oid = r.objid;
                ELSIF r.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN
                  EXECUTE $q$%s$q$ INTO v_tenant USING r.objid;
                END IF;
                IF v_rel IS NOT NULL THEN
                  SELECT format('%%I on %%s', t.tgname, t.tgrelid::pg_catalog.regclass) INTO v_trigger
                    FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
                   WHERE t.tgrelid = v_rel AND p.pronamespace = pg_catalog.to_regnamespace('helios')
                     AND (t.tgenabled <> 'O' OR t.tgname NOT LIKE 'helios\\_fence\\_%%') LIMIT 1;
                  IF v_trigger IS NOT NULL THEN
                    RAISE EXCEPTION 'helios fence: %% by role %% refused: fence trigger %% must stay as installed',
                      r.command_tag, session_user, v_trigger USING ERRCODE = '42501';
                  END IF;
                  EXECUTE $q$%s$q$ INTO v_tenant USING v_rel;
                END IF;
                IF v_tenant IS NULL AND r.schema_name IS NOT NULL THEN
                  EXECUTE $q$%s$q$ INTO v_tenant USING pg_catalog.to_regnamespace(r.schema_name);
                END IF;
                IF v_tenant IS NOT NULL THEN
                  RAISE EXCEPTION 'helios fence: %% of %% by role %% refused: tenant "%%" is fenced on this endpoint',
                    r.command_tag, r.object_identity, session_user, v_tenant USING ERRCODE = '42501';
                END IF;
              END LOOP;
            END
            $f$""".formatted(FenceSecurity.DEFINER, FenceSecurity.APPLIER, SCHEMA_TENANT, REL_TENANT, SCHEMA_TENANT);

    static final String DROP_FUNCTION = """
            CREATE OR REPLACE FUNCTION helios.fence_drop_guard() RETURNS event_trigger LANGUAGE plpgsql%s AS $f$
            -- helios fence drop guard v1
            DECLARE
              r record;
              v_tenant text;
            BEGIN
              IF pg_catalog.pg_has_role(session_user, '%s', 'MEMBER') THEN
                RETURN;
              END IF;
              FOR r IN SELECT * FROM pg_catalog.pg_event_trigger_dropped_objects() LOOP
                IF (r.object_type = 'trigger' AND r.object_identity LIKE 'helios\\_fence\\_%%')
                   OR (r.object_type = 'schema' AND r.object_name = 'helios') THEN
                  RAISE EXCEPTION 'helios fence: dropping %% by role %% refused: it is part of the fence',
                    r.object_identity, session_user USING ERRCODE = '42501';
                END IF;
                v_tenant := NULL;
                IF r.schema_name IS NOT NULL THEN
                  EXECUTE $q$%s$q$ INTO v_tenant USING pg_catalog.to_regnamespace(r.schema_name);
                END IF;
                IF v_tenant IS NOT NULL THEN
                  RAISE EXCEPTION 'helios fence: dropping %% by role %% refused: tenant "%%" is fenced on this endpoint',
                    r.object_identity, session_user, v_tenant USING ERRCODE = '42501';
                END IF;
              END LOOP;
            END
            $f$""".formatted(FenceSecurity.DEFINER, FenceSecurity.APPLIER, SCHEMA_TENANT);

    private DdlGuard() {
    }

    /** Creates or replaces the functions and (re)creates the event triggers; needs a superuser. */
    static void install(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(DDL_FUNCTION);
            s.execute(DROP_FUNCTION);
            FenceSecurity.own(c, "helios.fence_ddl_guard()");
            FenceSecurity.own(c, "helios.fence_drop_guard()");
            s.execute("REVOKE ALL ON FUNCTION helios.fence_ddl_guard(), helios.fence_drop_guard() FROM PUBLIC");
            s.execute("DROP EVENT TRIGGER IF EXISTS helios_fence_ddl");
            s.execute("CREATE EVENT TRIGGER helios_fence_ddl ON ddl_command_end EXECUTE FUNCTION helios.fence_ddl_guard()");
            s.execute("DROP EVENT TRIGGER IF EXISTS helios_fence_drop");
            s.execute("CREATE EVENT TRIGGER helios_fence_drop ON sql_drop EXECUTE FUNCTION helios.fence_drop_guard()");
        }
    }

    /** The body PostgreSQL stores for a function created by {@code sql}, to tell whether it is current. */
    static String body(String sql) {
        return sql.substring(sql.indexOf("$f$") + 3, sql.lastIndexOf("$f$"));
    }
}
