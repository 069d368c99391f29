package io.helios.controlplane.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a psql script over JDBC, for tests of the scripts the deployments run with {@code psql}
 * (there may be no psql binary where the tests run): {@code :'name'} and {@code :"name"} variables,
 * {@code \gexec}, and {@code \set} and {@code \o} lines (ignored). Statements end with {@code ;} or {@code \gexec}
 * at the end of a line, outside {@code $$} quotes (where variables are not expanded, as in psql).
 */
final class PsqlScript {

    private static final Pattern VARIABLE = Pattern.compile(":(['\"])([A-Za-z_][A-Za-z0-9_]*)\\1");

    private PsqlScript() {
    }

    static void run(Connection connection, String script, Map<String, String> variables) throws SQLException {
        StringBuilder statement = new StringBuilder();
        try (Statement s = connection.createStatement()) {
            for (String line : script.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("--") || trimmed.startsWith("\\set") || trimmed.startsWith("\\o")
                        || trimmed.isEmpty()) {
                    continue;
                }
                boolean quoted = dollarQuoted(statement);
                statement.append(quoted ? line : substitute(line, variables)).append('\n');
                String text = statement.toString().strip();
                if (dollarQuoted(statement)) {
                    continue;
                }
                if (text.endsWith("\\gexec")) {
                    for (String generated : results(s, text.substring(0, text.length() - "\\gexec".length()))) {
                        s.execute(generated);
                    }
                    statement.setLength(0);
                } else if (text.endsWith(";")) {
                    s.execute(text);
                    statement.setLength(0);
                }
            }
        }
        if (!statement.toString().isBlank()) {
            throw new IllegalArgumentException("unterminated statement: " + statement);
        }
    }

    /** Whether the text so far ends inside a {@code $$} quote. */
    private static boolean dollarQuoted(CharSequence text) {
        return (text.toString().split("\\$\\$", -1).length - 1) % 2 == 1;
    }

    private static List<String> results(Statement s, String query) throws SQLException {
        List<String> cells = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    cells.add(rs.getString(i));
                }
            }
        }
        return cells;
    }

    private static String substitute(String line, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(2));
            if (value == null) {
                throw new IllegalArgumentException("variable " + m.group(2) + " is not set");
            }
            String quoted = m.group(1).equals("'") ? "'" + value.replace("'", "''") + "'"
                    : "\"" + value.replace("\"", "\"\"") + "\"";
            m.appendReplacement(out, Matcher.quoteReplacement(quoted));
        }
        m.appendTail(out);
        return out.toString();
    }
}
