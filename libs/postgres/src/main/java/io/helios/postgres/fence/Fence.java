package io.helios.postgres.fence;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;

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
 * statement trigger (TRUNCATE) that raise SQLSTATE 25006 naming the tenant. Ordinary triggers do
 * not fire under {@code session_replication_role = replica}, which the applier sets: the
 * replicator writes, applications cannot. Stateless; runs on the caller's connection.
 */
public final class Fence {

    private static final String GUARD = """
            CREATE OR REPLACE FUNCTION helios.fence_guard() RETURNS trigger LANGUAGE plpgsql AS $f$
            DECLARE
              v_tenant text;
              v_reason text;
            BEGIN
              IF TG_ARGV[0] = 'row' THEN
                IF TG_LEVEL = 'STATEMENT' THEN
                  SELECT f.tenant_id, f.reason INTO v_tenant, v_reason FROM helios.tenant_fence f
                   WHERE f.tenant_id = ANY (TG_ARGV[2:]) LIMIT 1;
                ELSE
                  v_tenant := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[1];
                  SELECT f.reason INTO v_reason FROM helios.tenant_fence f WHERE f.tenant_id = v_tenant;
                  IF v_reason IS NULL AND TG_OP = 'UPDATE' THEN
                    v_tenant := to_jsonb(OLD) ->> TG_ARGV[1];
                    SELECT f.reason INTO v_reason FROM helios.tenant_fence f WHERE f.tenant_id = v_tenant;
                  END IF;
                END IF;
              ELSE
                v_tenant := TG_ARGV[1];
                SELECT f.reason INTO v_reason FROM helios.tenant_fence f WHERE f.tenant_id = v_tenant;
              END IF;
              IF v_reason IS NOT NULL THEN
                RAISE EXCEPTION 'tenant "%" is read-only on this endpoint (helios fence: %)', v_tenant, v_reason
                  USING ERRCODE = '25006', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
              END IF;
              RETURN CASE WHEN TG_LEVEL = 'STATEMENT' THEN NULL WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END
            $f$""";

    private Fence() {
    }

    /** Creates schema {@code helios}, the fence table and the guard function (idempotent). */
    public static void installSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS helios");
            s.execute("CREATE TABLE IF NOT EXISTS helios.tenant_fence (tenant_id text PRIMARY KEY,"
                    + " reason text NOT NULL, fenced_at timestamptz NOT NULL DEFAULT now())");
            s.execute(GUARD);
        }
    }

    /**
     * Installs the guard triggers on a table for the scope's tenant (idempotent). For ROW tables
     * the row trigger reads the tenant from the discriminator column, and TRUNCATE is refused
     * while any tenant protected on the table is fenced.
     */
    public static void protect(Connection c, TableId table, TenantScope scope) throws SQLException {
        String args;
        if (scope.model() == TenancyModel.ROW) {
            args = "'row', " + literal(scope.discriminatorColumn()) + ", " + literal(scope.tenantId());
        } else {
            args = "'tenant', " + literal(scope.tenantId());
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS helios_fence_row ON " + table.quoted());
            s.execute("CREATE TRIGGER helios_fence_row BEFORE INSERT OR UPDATE OR DELETE ON " + table.quoted()
                    + " FOR EACH ROW EXECUTE FUNCTION helios.fence_guard(" + args + ")");
            s.execute("DROP TRIGGER IF EXISTS helios_fence_truncate ON " + table.quoted());
            s.execute("CREATE TRIGGER helios_fence_truncate BEFORE TRUNCATE ON " + table.quoted()
                    + " FOR EACH STATEMENT EXECUTE FUNCTION helios.fence_guard(" + truncateArgs(c, table, scope) + ")");
        }
    }

    /** For ROW tables the TRUNCATE guard lists every tenant protected on the table so far. */
    private static String truncateArgs(Connection c, TableId table, TenantScope scope) throws SQLException {
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

    /** Lists the tenant in {@code helios.tenant_fence} (or replaces its reason), in the caller's transaction. */
    public static void fence(Connection c, String tenantId, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO helios.tenant_fence (tenant_id, reason)"
                + " VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET reason = EXCLUDED.reason")) {
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
        return "'" + s.replace("'", "''") + "'";
    }
}
