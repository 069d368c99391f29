package io.helios.postgres;

import io.helios.postgres.tenant.SqlLiteral;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Session statements that take a string: the value is bound as a parameter where PostgreSQL allows
 * it ({@code set_config}), and written as an {@code E'...'} literal ({@link SqlLiteral}) where it
 * does not ({@code SET TRANSACTION SNAPSHOT}). Neither depends on {@code standard_conforming_strings},
 * which a role or database may have set to {@code off} (a plain {@code '...'} literal with doubled
 * quotes is then broken by a backslash).
 */
public final class SessionStatements {

    private SessionStatements() {
    }

    /** {@code application_name} for the rest of the session. */
    public static void applicationName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, name);
            ps.execute();
        }
    }

    /** Imports an exported snapshot into the current (repeatable read) transaction. */
    public static void useSnapshot(Statement s, String snapshotName) throws SQLException {
        s.execute("SET TRANSACTION SNAPSHOT " + SqlLiteral.of(snapshotName));
    }
}
