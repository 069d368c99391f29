package io.helios.pgoutput;

import io.helios.core.change.TableId;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Publications of a source: creation per tenant scope, removal. */
public final class Publications {

    private Publications() {
    }

    public static void drop(Connection c, String publication) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP PUBLICATION IF EXISTS " + TableId.quote(publication));
        }
    }
}
