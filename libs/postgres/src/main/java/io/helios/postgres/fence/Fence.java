package io.helios.postgres.fence;

import io.helios.postgres.HeliosSchema;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.tenant.Discriminator;
import io.helios.postgres.tenant.SqlLiteral;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fence of an endpoint: tenants listed in {@code helios.tenant_fence} cannot be written by
 * applications. Every replicated table carries a row trigger (INSERT, UPDATE, DELETE) and a
 * statement trigger (TRUNCATE) that raise SQLSTATE 25006 naming the tenant; on ROW tables a row
 * belongs to a tenant when its discriminator equals the tenant id typed by the column's type, as
 * everywhere else ({@link Discriminator}). Ordinary triggers do not fire under
 * {@code session_replication_role = replica}, which the applier sets: the replicator writes,
 * applications cannot. Stateless; runs on the caller's connection.
 */
public final class Fence {

    /*
     * TG_ARGV = 'tenant', tenant id (SCHEMA and DATABASE tables), or 'row', discriminator column,
     * every tenant protected on the table (ROW tables). For ROW tables this function guards
     * TRUNCATE; their rows are guarded by a RowGuard function compiled for the column's type. The
     * row-level 'row' branch serves triggers installed before RowGuard existed, until the table is
     * protected again: it compares typed too, through dynamic SQL (slower, but never by text).
     */
    private static final String GUARD = """
            CREATE OR REPLACE FUNCTION helios.fence_guard() RETURNS trigger LANGUAGE plpgsql%s AS $f$
            -- helios fence guard v3: security definer, hold
            DECLARE
              v_tenant text;
              v_reason text;
              v_fenced text[];
              v_type text;
              v_match text := 'SELECT t FROM unnest($2) t WHERE ($1).%I = t::%s LIMIT 1';
            BEGIN
              IF TG_ARGV[0] = 'row' THEN
                SELECT array_agg(f.tenant_id ORDER BY f.tenant_id) INTO v_fenced FROM helios.tenant_fence f
                 WHERE f.tenant_id = ANY (TG_ARGV[2:]);
                IF v_fenced IS NULL THEN
                  RETURN CASE WHEN TG_LEVEL = 'STATEMENT' THEN NULL WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                ELSIF TG_LEVEL = 'STATEMENT' THEN
                  v_tenant := v_fenced[1];
                ELSE
                  SELECT format('%I.%I', n.nspname, t.typname) INTO v_type FROM pg_attribute a
                    JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE a.attrelid = TG_RELID AND a.attname = TG_ARGV[1] AND a.attnum > 0 AND NOT a.attisdropped;
                  IF v_type IS NULL THEN
                    RAISE EXCEPTION 'helios fence: discriminator column % missing on %.%', TG_ARGV[1], TG_TABLE_SCHEMA,
                      TG_TABLE_NAME USING ERRCODE = '25006';
                  END IF;
                  IF TG_OP <> 'DELETE' THEN
                    EXECUTE format(v_match, TG_ARGV[1], v_type) INTO v_tenant USING NEW, v_fenced;
                  END IF;
                  IF v_tenant IS NULL AND TG_OP <> 'INSERT' THEN
                    EXECUTE format(v_match, TG_ARGV[1], v_type) INTO v_tenant USING OLD, v_fenced;
                  END IF;
                END IF;
              ELSE
                v_tenant := TG_ARGV[1];
              END IF;
              IF v_tenant IS NOT NULL THEN
                -- a cutover's hold takes this lock exclusively: wait for it, then obey what it left
                PERFORM pg_catalog.pg_advisory_xact_lock_shared(%HOLD_CLASS%, pg_catalog.hashtext(v_tenant));
                SELECT f.reason INTO v_reason FROM helios.tenant_fence f WHERE f.tenant_id = v_tenant;
              END IF;
              IF v_reason IS NOT NULL THEN
                RAISE EXCEPTION 'tenant "%" is read-only on this endpoint (helios fence: %)', v_tenant, v_reason
                  USING ERRCODE = '25006', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
              END IF;
              RETURN CASE WHEN TG_LEVEL = 'STATEMENT' THEN NULL WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END
            $f$""".replace("%s", FenceSecurity.DEFINER).replace("%HOLD_CLASS%", String.valueOf(Hold.LOCK_CLASS));

    private static final String GUARD_BODY = GUARD.substring(GUARD.indexOf("$f$") + 3, GUARD.lastIndexOf("$f$"));

    private Fence() {
    }

    /**
     * Creates schema {@code helios}, the fence table and the guard function, and hardens them
     * ({@link FenceSecurity}, {@link DdlGuard}) as far as the connected role may (idempotent).
     */
    public static void installSchema(Connection c) throws SQLException {
        if (installed(c)) {
            return;
        }
        HeliosSchema.change(c, () -> {
            // checked again under the lock (see RowGuard.ensure): replacing a guard the installer before
            // us just committed would lock it until our commit against sessions already using it
            if (installed(c)) {
                return;
            }
            List<String> functions = new ArrayList<>(List.of("helios.fence_guard()"));
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS helios");
                s.execute("CREATE TABLE IF NOT EXISTS helios.tenant_fence (tenant_id text PRIMARY KEY,"
                        + " reason text NOT NULL, fenced_at timestamptz NOT NULL DEFAULT now())");
                // hold: a cutover's refusal-in-waiting, decided by the migration service after a crash (see Hold)
                s.execute("ALTER TABLE helios.tenant_fence ADD COLUMN IF NOT EXISTS hold boolean NOT NULL DEFAULT false");
                s.execute(GUARD);
                // guards of ROW tables compiled by an earlier version run with their caller's rights
                try (ResultSet rs = s.executeQuery("SELECT oid::regprocedure::text FROM pg_proc"
                        + " WHERE pronamespace = 'helios'::regnamespace AND proname LIKE 'fence\\_row\\_%'")) {
                    while (rs.next()) {
                        functions.add(rs.getString(1));
                    }
                }
            }
            for (String f : functions.subList(1, functions.size())) {
                RowGuard.harden(c, f);
            }
            FenceSecurity.harden(c, functions);
        });
    }

    /**
     * Whether the fence table, this version of the guard function and, when the connected role is
     * a superuser (the only one that may create them), the event triggers are there.
     */
    private static boolean installed(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('helios.tenant_fence') IS NOT NULL"
                + " AND EXISTS (SELECT 1 FROM pg_proc WHERE oid = to_regprocedure('helios.fence_guard()') AND prosrc = ?)"
                + " AND (NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                + "  OR (SELECT count(*) FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid"
                + "      WHERE e.evtname IN ('helios_fence_ddl', 'helios_fence_drop') AND e.evtenabled = 'O'"
                + "        AND p.prosrc IN (?, ?)) = 2)")) {
            ps.setString(1, GUARD_BODY);
            ps.setString(2, DdlGuard.body(DdlGuard.DDL_FUNCTION));
            ps.setString(3, DdlGuard.body(DdlGuard.DROP_FUNCTION));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Installs the guard triggers on a table for the scope's tenant (idempotent). For ROW tables
     * both triggers list every tenant protected on the table so far: the row trigger
     * ({@link RowGuard}) refuses a row whose discriminator equals a fenced one of them (typed, see
     * {@link Discriminator}), and TRUNCATE is refused while any of them is fenced.
     *
     * @throws io.helios.postgres.tenant.InvalidTenantIdException for a ROW tenant id that is not
     *                                                            a value of the column's type
     */
    public static void protect(Connection c, TableId table, TenantScope scope) throws SQLException {
        HeliosSchema.atomically(c, () -> protectNow(c, table, scope));
    }

    private static void protectNow(Connection c, TableId table, TenantScope scope) throws SQLException {
        String rowGuard = "helios.fence_guard";
        if (scope.model() == TenancyModel.ROW) {
            // refuses a tenant id the column's type does not take, before anything is installed
            rowGuard = RowGuard.ensure(c, Discriminator.of(c, table, scope));
        }
        try (Statement s = c.createStatement()) {
            // the lock DROP TRIGGER takes anyway, taken before the triggers' tenant list is read: two
            // tenants protected at once on a shared table must not each write a list without the other
            s.execute("LOCK TABLE " + table.quoted() + " IN ACCESS EXCLUSIVE MODE");
        }
        String args = args(c, table, scope);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS helios_fence_row ON " + table.quoted());
            s.execute("CREATE TRIGGER helios_fence_row BEFORE INSERT OR UPDATE OR DELETE ON " + table.quoted()
                    + " FOR EACH ROW EXECUTE FUNCTION " + rowGuard + "(" + args + ")");
            s.execute("DROP TRIGGER IF EXISTS helios_fence_truncate ON " + table.quoted());
            s.execute("CREATE TRIGGER helios_fence_truncate BEFORE TRUNCATE ON " + table.quoted()
                    + " FOR EACH STATEMENT EXECUTE FUNCTION helios.fence_guard(" + args + ")");
        }
    }

    /** The guard's arguments: the tenant, or for ROW tables the column and every tenant protected on it. */
    private static String args(Connection c, TableId table, TenantScope scope) throws SQLException {
        if (scope.model() != TenancyModel.ROW) {
            return "'tenant', " + literal(scope.tenantId());
        }
        StringBuilder args = new StringBuilder("'row', " + literal(scope.discriminatorColumn()));
        Set<String> tenants = new TreeSet<>(existingTruncateTenants(c, table));
        tenants.add(scope.tenantId());
        for (String t : tenants) {
            args.append(", ").append(literal(t));
        }
        return args.toString();
    }

    private static List<String> existingTruncateTenants(Connection c, TableId table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tgargs, tgnargs FROM pg_trigger"
                + " WHERE tgrelid = ?::regclass AND tgname = 'helios_fence_truncate'")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String[] parts = new String(rs.getBytes(1), StandardCharsets.UTF_8).split("\u0000");
                    for (int i = 2; i < parts.length; i++) {
                        out.add(parts[i]);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Lists the tenant in {@code helios.tenant_fence} (or replaces its reason; a {@link Hold} becomes a
     * refusal), in the caller's transaction.
     */
    public static void fence(Connection c, String tenantId, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO helios.tenant_fence (tenant_id, reason, hold)"
                + " VALUES (?, ?, false) ON CONFLICT (tenant_id) DO UPDATE SET reason = EXCLUDED.reason, hold = false")) {
            ps.setString(1, tenantId);
            ps.setString(2, reason);
            ps.executeUpdate();
        }
    }

    /** Lifts the tenant's fence on this endpoint, in the caller's transaction; a no-op when not fenced. */
    public static void unfence(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM helios.tenant_fence WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            ps.executeUpdate();
        }
    }

    public static boolean isFenced(Connection c, String tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM helios.tenant_fence WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String literal(String s) {
        return SqlLiteral.of(s);
    }
}
