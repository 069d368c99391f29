package io.helios.postgres;

import io.helios.postgres.tenant.SqlLiteral;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Statements that carry a string keep it intact on a database whose sessions start with
 * {@code standard_conforming_strings = off} (set with {@code ALTER DATABASE}, as an operator could):
 * a backslash followed by a quote neither breaks nor escapes the statement.
 */
class SessionStatementsIT {

    private static final String DB = "session_statements_it";
    private static final String EVIL = "x\\'; SELECT pg_sleep(0); --";
    private static PostgresCluster pg;

    @BeforeAll
    static void setUp() throws SQLException {
        pg = TestClusters.shared();
        pg.createDatabase(DB);
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + DB + " SET standard_conforming_strings = off");
        }
    }

    @Test
    void theDatabaseReallyStartsSessionsWithNonStandardStrings() throws SQLException {
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
            assertThat(text(s, "SHOW standard_conforming_strings")).isEqualTo("off");
            // what main did (quotes doubled, backslashes left alone): the backslash escapes a quote, the
            // string ends early and the rest runs as a statement of its own
            s.execute("SET application_name = '" + EVIL.replace("'", "''") + "'");
            assertThat(text(s, "SELECT current_setting('application_name')")).isEqualTo("x'");
        }
    }

    @Test
    void applicationNameIsBoundNotSpliced() throws SQLException {
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
            SessionStatements.applicationName(c, EVIL);
            assertThat(text(s, "SELECT current_setting('application_name')")).isEqualTo(EVIL);
        }
    }

    @Test
    void snapshotNamesAndLiteralsKeepBackslashesAndQuotes() throws SQLException {
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
            assertThat(text(s, "SELECT " + SqlLiteral.of(EVIL))).isEqualTo(EVIL);
            c.setAutoCommit(false);
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            // the literal reaches the server whole: PostgreSQL names the bad snapshot id, not a syntax error
            assertThatThrownBy(() -> SessionStatements.useSnapshot(s, EVIL)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("invalid snapshot identifier").hasMessageContaining("pg_sleep");
            c.rollback();
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
