package io.helios.controlplane.preflight;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-level preflight checks over an open connection: version, wal_level, free slots and
 * WAL senders, privileges of the connecting user, the bound on WAL a slot may retain and slots
 * that lost or may lose WAL (sources), and transport encryption. Stateless.
 */
final class ServerChecks {

    private static final Pattern SSLMODE = Pattern.compile("[?&]sslmode=([^&]+)");

    private ServerChecks() {
    }

    static List<Check> run(Connection c, Role role, boolean rowModel, String jdbcUrl) throws SQLException {
        int version = Integer.parseInt(text(c, "SHOW server_version_num"));
        List<Check> checks = new ArrayList<>();
        checks.add(version(version, rowModel));
        if (role == Role.SOURCE) {
            checks.add(walLevel(c));
            checks.add(free(c, "replication_slots", "max_replication_slots", "SELECT count(*) FROM pg_replication_slots"));
            checks.add(free(c, "wal_senders", "max_wal_senders",
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender'"));
            checks.add(sourcePrivileges(c));
            checks.add(slotWalKeepSize(c, version));
            checks.add(slotsAtRisk(c, version));
        } else {
            checks.add(targetPrivileges(c, version));
        }
        checks.add(createOnDatabase(c, role));
        checks.add(ssl(c, jdbcUrl));
        return checks;
    }

    private static Check version(int version, boolean rowModel) {
        String shown = (version / 10000) + "." + (version % 10000);
        if (version < 100000) {
            return Check.fail("server_version", "PostgreSQL " + shown + " is too old: logical replication with pgoutput needs 10+");
        }
        if (rowModel && version < 150000) {
            return Check.fail("server_version", "PostgreSQL " + shown + ": the ROW model needs 15+ (publication row filters)");
        }
        return Check.ok("server_version", "PostgreSQL " + shown);
    }

    private static Check walLevel(Connection c) throws SQLException {
        String level = text(c, "SHOW wal_level");
        return "logical".equals(level) ? Check.ok("wal_level", "wal_level is logical")
                : Check.fail("wal_level", "wal_level is " + level + ": set wal_level = logical and restart the server");
    }

    private static Check free(Connection c, String name, String setting, String usedSql) throws SQLException {
        int max = Integer.parseInt(text(c, "SHOW " + setting));
        int used = Integer.parseInt(text(c, usedSql));
        int free = max - used;
        if (free <= 0) {
            return Check.fail(name, "no free " + name.replace('_', ' ') + " (" + used + " of " + setting + "=" + max
                    + " in use): raise " + setting);
        }
        String detail = free + " of " + max + " free";
        return free == 1 ? Check.warn(name, detail + ": the next replication takes the last one") : Check.ok(name, detail);
    }

    private static Check sourcePrivileges(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT rolsuper, rolreplication, current_user FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            String user = rs.getString(3);
            if (rs.getBoolean(1) || rs.getBoolean(2)) {
                return Check.ok("replication_privilege", user + " has " + (rs.getBoolean(1) ? "SUPERUSER" : "REPLICATION"));
            }
            return Check.fail("replication_privilege", user + " has neither REPLICATION nor SUPERUSER: ALTER ROLE "
                    + user + " REPLICATION");
        }
    }

    /** {@code max_slot_wal_keep_size} (13+): -1 lets one stuck slot fill the source's disk. */
    private static Check slotWalKeepSize(Connection c, int version) throws SQLException {
        if (version < 130000) {
            return Check.warn("max_slot_wal_keep_size", "not available before PostgreSQL 13: nothing bounds the WAL a "
                    + "stuck slot retains; rely on the WAL guard (helios.wal-guard.max-retained-bytes)");
        }
        String value = text(c, "SHOW max_slot_wal_keep_size");
        if ("-1".equals(value)) {
            return Check.warn("max_slot_wal_keep_size", "max_slot_wal_keep_size = -1 (unbounded): a stuck or paused "
                    + "slot retains WAL until the disk fills; set a bound the disk can hold (the slot is then marked "
                    + "lost past it, and its replication must copy afresh) and keep helios.wal-guard.max-retained-bytes "
                    + "below it");
        }
        return Check.ok("max_slot_wal_keep_size", "max_slot_wal_keep_size = " + value
                + ": a slot retaining more loses WAL (wal_status lost) and its replication must copy afresh");
    }

    /** Slots of the server whose wal_status says they lost WAL, or will at the next checkpoint. */
    private static Check slotsAtRisk(Connection c, int version) throws SQLException {
        if (version < 130000) {
            return Check.ok("slot_wal_status", "wal_status not available before PostgreSQL 13");
        }
        List<String> lost = new ArrayList<>();
        List<String> unreserved = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT slot_name, wal_status"
                + " FROM pg_replication_slots WHERE wal_status IN ('lost', 'unreserved') ORDER BY slot_name")) {
            while (rs.next()) {
                ("lost".equals(rs.getString(2)) ? lost : unreserved).add(rs.getString(1));
            }
        }
        if (lost.isEmpty() && unreserved.isEmpty()) {
            return Check.ok("slot_wal_status", "no slot has lost WAL or is at risk (wal_status lost/unreserved)");
        }
        return Check.warn("slot_wal_status", (lost.isEmpty() ? "" : "lost WAL (cannot stream; drop them): " + lost
                + (unreserved.isEmpty() ? "" : "; ")) + (unreserved.isEmpty() ? ""
                : "unreserved (past max_slot_wal_keep_size, lost at the next checkpoint unless they catch up): "
                + unreserved));
    }

    private static Check targetPrivileges(Connection c, int version) throws SQLException {
        if (Boolean.parseBoolean(text(c, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))) {
            return Check.ok("session_replication_role", "superuser: may set session_replication_role = replica");
        }
        if (version >= 150000 && Boolean.parseBoolean(text(c,
                "SELECT has_parameter_privilege('session_replication_role', 'SET')::text"))) {
            return Check.ok("session_replication_role", "SET privilege on session_replication_role granted");
        }
        return Check.fail("session_replication_role", "the applier must set session_replication_role = replica to bypass "
                + "the tenant fence: GRANT SET ON PARAMETER session_replication_role TO " + text(c, "SELECT current_user")
                + " (PostgreSQL 15+) or use a superuser");
    }

    private static Check createOnDatabase(Connection c, Role role) throws SQLException {
        boolean create = Boolean.parseBoolean(text(c, "SELECT has_database_privilege(current_database(), 'CREATE')::text"));
        String why = role == Role.SOURCE ? "needed to create the publication" : "needed to create the helios schema";
        return create ? Check.ok("create_privilege", "CREATE on the database granted")
                : Check.fail("create_privilege", "no CREATE privilege on database " + text(c, "SELECT current_database()")
                + " (" + why + ")");
    }

    private static Check ssl(Connection c, String jdbcUrl) throws SQLException {
        Matcher m = SSLMODE.matcher(jdbcUrl);
        String mode = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "prefer (driver default)";
        boolean encrypted = Boolean.parseBoolean(text(c,
                "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)::text"));
        if (encrypted) {
            return Check.ok("ssl", "connection encrypted (sslmode=" + mode + ")");
        }
        return Check.warn("ssl", "connection not encrypted (sslmode=" + mode + "): use sslmode=verify-full across regions");
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
