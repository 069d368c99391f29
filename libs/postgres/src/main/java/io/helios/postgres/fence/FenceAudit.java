package io.helios.postgres.fence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What weakens the fence on an endpoint, read from its catalog without changing anything (for
 * preflight). The fence cannot hold against a superuser (it may disable anything), and a table's
 * owner is held only by the event triggers, which only a superuser may create.
 *
 * @param ddlGuard       whether both event triggers of {@link DdlGuard} are installed and enabled
 * @param canInstall     whether the connected role may create them (a superuser)
 * @param applier        whether the event triggers let the connected role through (a superuser or
 *                       a member of {@link FenceSecurity#APPLIER}): it must be, to protect tables
 * @param superuserRoles login roles other than the connected one that are superusers
 * @param tableOwners    roles other than the connected one that own a table the fence protects
 */
public record FenceAudit(boolean ddlGuard, boolean canInstall, boolean applier, List<String> superuserRoles, List<String> tableOwners) {

    public FenceAudit {
        superuserRoles = List.copyOf(superuserRoles);
        tableOwners = List.copyOf(tableOwners);
    }

    public static FenceAudit of(Connection c) throws SQLException {
        boolean guard = bool(c, "SELECT count(*) = 2 FROM pg_catalog.pg_event_trigger WHERE evtenabled = 'O'"
                + " AND evtname IN ('helios_fence_ddl', 'helios_fence_drop')");
        boolean superuser = FenceSecurity.superuser(c);
        boolean applier = superuser || bool(c, "SELECT pg_catalog.to_regrole('" + FenceSecurity.APPLIER + "') IS NOT NULL"
                + " AND pg_catalog.pg_has_role(current_user, '" + FenceSecurity.APPLIER + "', 'MEMBER')");
        List<String> superusers = names(c, "SELECT rolname FROM pg_catalog.pg_roles WHERE rolsuper AND rolcanlogin"
                + " AND rolname <> current_user ORDER BY 1");
        List<String> owners = names(c, "SELECT DISTINCT r.rolname FROM pg_catalog.pg_trigger t"
                + " JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid AND p.pronamespace = pg_catalog.to_regnamespace('helios')"
                + " JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_roles r ON r.oid = c.relowner"
                + " WHERE r.rolname <> current_user ORDER BY 1");
        return new FenceAudit(guard, superuser, applier, superusers, owners);
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static List<String> names(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
