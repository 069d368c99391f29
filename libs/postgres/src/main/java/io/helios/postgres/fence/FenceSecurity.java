package io.helios.postgres.fence;

import io.helios.postgres.HeliosSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes the fence hold against the applications it fences. Its functions run with the rights of
 * {@value #OWNER} (a role nobody logs in as), {@code SECURITY DEFINER} with a pinned
 * {@code search_path}; that role also owns {@code helios.tenant_fence}. Schema {@code helios}
 * grants nothing to {@code PUBLIC}: a trigger function is called by its OID, so applications write
 * the rows of their unfenced tenants without any privilege on {@code helios}. Appliers that are not
 * superusers are members of {@value #APPLIER}, which may change the fence table and is let through
 * by the {@link DdlGuard}.
 *
 * <p>Only a superuser installer creates the roles and the event triggers; another one hands the
 * objects to {@value #OWNER} when an administrator created it and made the installer a member, and
 * otherwise keeps them (preflight warns). Runs inside {@code HeliosSchema.change}. Stateless.
 */
public final class FenceSecurity {

    /** Owns the fence's functions and table; NOLOGIN. */
    public static final String OWNER = "helios_fence_owner";
    /** Its members (and superusers) are the applier's roles: DDL on fenced tables is theirs alone. */
    public static final String APPLIER = "helios_applier";
    /** The attributes of every fence function. */
    static final String DEFINER = " SECURITY DEFINER SET search_path = pg_catalog, pg_temp";

    private FenceSecurity() {
    }

    /** Revokes, creates roles, transfers ownership and installs the event triggers, as far as the installer may. */
    static void harden(Connection c, Iterable<String> functions) throws SQLException {
        boolean superuser = superuser(c);
        try (Statement s = c.createStatement()) {
            s.execute("REVOKE ALL ON SCHEMA helios FROM PUBLIC");
            s.execute("REVOKE ALL ON TABLE helios.tenant_fence FROM PUBLIC");
            if (superuser) {
                createRole(s, OWNER);
                createRole(s, APPLIER);
            }
            if (canOwn(c)) {
                s.execute("GRANT USAGE, CREATE ON SCHEMA helios TO " + OWNER);
                s.execute("ALTER TABLE helios.tenant_fence OWNER TO " + OWNER);
                for (String f : functions) {
                    s.execute("ALTER FUNCTION " + f + " OWNER TO " + OWNER);
                }
            }
            if (exists(c, APPLIER)) {
                s.execute("GRANT USAGE ON SCHEMA helios TO " + APPLIER);
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON helios.tenant_fence TO " + APPLIER);
            }
        }
        if (superuser) {
            DdlGuard.install(c);
        }
    }

    /** Hands a function created later (a ROW table's guard) to the owner role, when the installer may. */
    static void own(Connection c, String function) throws SQLException {
        if (canOwn(c)) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER FUNCTION " + function + " OWNER TO " + OWNER);
            }
        }
    }

    /**
     * The owner role must see the discriminator's type to cast to it: grants it USAGE on the type's
     * schema when it lacks it (a no-op where the installer may not grant, or for system schemas).
     * Cheap when nothing is missing; the grant itself runs under the installers' lock.
     */
    static void useType(Connection c, String castType) throws SQLException {
        String schema = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_type t"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?::pg_catalog.regtype"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND pg_catalog.to_regrole('" + OWNER + "') IS NOT NULL"
                + " AND NOT pg_catalog.has_schema_privilege('" + OWNER + "', n.oid, 'USAGE')")) {
            ps.setString(1, castType);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    schema = rs.getString(1);
                }
            }
        }
        if (schema == null || !canOwn(c)) {
            return;
        }
        String grant = "GRANT USAGE ON SCHEMA " + schema + " TO " + OWNER;
        HeliosSchema.change(c, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(grant);
            }
        });
    }

    static boolean superuser(Connection c) throws SQLException {
        return bool(c, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user");
    }

    private static boolean canOwn(Connection c) throws SQLException {
        return bool(c, "SELECT pg_catalog.to_regrole('" + OWNER + "') IS NOT NULL"
                + " AND pg_catalog.pg_has_role(current_user, '" + OWNER + "', 'MEMBER')");
    }

    private static boolean exists(Connection c, String role) throws SQLException {
        return bool(c, "SELECT pg_catalog.to_regrole('" + role + "') IS NOT NULL");
    }

    /** Roles belong to the cluster: another database's installer may be creating it at the same moment. */
    private static void createRole(Statement s, String role) throws SQLException {
        s.execute("DO $r$ BEGIN IF pg_catalog.to_regrole('" + role + "') IS NULL THEN CREATE ROLE " + role
                + " NOLOGIN; END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $r$");
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
