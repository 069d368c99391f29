package io.helios.postgres.fence;

import io.helios.postgres.HeliosSchema;
import io.helios.core.change.TableId;
import io.helios.postgres.tenant.Discriminator;
import io.helios.postgres.tenant.SqlLiteral;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The row trigger function of ROW tables, one per discriminator column name and type
 * ({@code helios.fence_row_<hash>}), shared by every table with that column. It compares the
 * row's discriminator typed, statically compiled ({@code NEW."tenant_id" = t::pg_catalog.int4}
 * for each tenant {@code t} protected on the table, the trigger's arguments from the third on),
 * and reads {@code helios.tenant_fence} only for a row of a protected tenant: a generic function
 * would need dynamic SQL per row for a typed comparison (measured about ten times slower), and
 * comparing text ({@code to_jsonb(NEW) ->> col}) is wrong for any type whose text is not its
 * identity ({@code 007} and {@code 7}, upper- and lower-case uuids). {@code SECURITY DEFINER},
 * owned like the rest of the fence ({@link FenceSecurity}). Stateless.
 */
final class RowGuard {

    private RowGuard() {
    }

    /** Creates the function for the discriminator's column and type unless it exists unchanged; returns its name. */
    static String ensure(Connection c, Discriminator d) throws SQLException {
        String name = name(d.column(), d.castType());
        String body = body(d.column(), d.castType());
        if (current(c, name, body)) {
            FenceSecurity.useType(c, d.castType()); // a guard hardened in place by installSchema
            return "helios." + name;
        }
        HeliosSchema.change(c, () -> {
            // checked again under the lock: the installer before us may have just committed it. Replacing
            // it anyway would lock the function until our commit, and a session that found it already
            // there and holds its table's lock would then wait for the function while we wait for the
            // table (a deadlock seen with eight tenants protected at once on one shared table)
            if (current(c, name, body)) {
                return;
            }
            try (Statement s = c.createStatement()) {
                // a literal, not a dollar quote: column names may contain '$'
                s.execute("CREATE OR REPLACE FUNCTION helios." + name + "() RETURNS trigger LANGUAGE plpgsql"
                        + FenceSecurity.DEFINER + " AS " + SqlLiteral.of(body));
            }
            FenceSecurity.own(c, "helios." + name + "()");
        });
        FenceSecurity.useType(c, d.castType());
        return "helios." + name;
    }

    private static boolean current(Connection c, String name, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_proc WHERE proname = ?"
                + " AND pronamespace = 'helios'::regnamespace AND prosrc = ? AND prosecdef")) {
            ps.setString(1, name);
            ps.setString(2, body);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Makes a guard compiled by an earlier version run with its owner's rights, search path pinned. */
    static void harden(Connection c, String function) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ALTER FUNCTION " + function + FenceSecurity.DEFINER);
        }
    }

    static String name(String column, String castType) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((column + '\0' + castType).getBytes(StandardCharsets.UTF_8));
            return "fence_row_" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static String body(String column, String castType) {
        String col = TableId.quote(column);
        return """

                DECLARE
                  t text;
                  v_reason text;
                BEGIN
                  IF TG_OP <> 'DELETE' THEN
                %s  END IF;
                  IF TG_OP <> 'INSERT' THEN
                %s  END IF;
                  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END
                """.formatted(check("NEW." + col, castType), check("OLD." + col, castType));
    }

    private static String check(String value, String castType) {
        return """
                    FOREACH t IN ARRAY TG_ARGV[2:] LOOP
                      IF %s = t::%s THEN
                        PERFORM pg_catalog.pg_advisory_xact_lock_shared(%d, pg_catalog.hashtext(t));
                        SELECT f.reason INTO v_reason FROM helios.tenant_fence f WHERE f.tenant_id = t;
                        IF v_reason IS NOT NULL THEN
                          RAISE EXCEPTION 'tenant "%%" is read-only on this endpoint (helios fence: %%)', t, v_reason
                            USING ERRCODE = '25006', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
                        END IF;
                      END IF;
                    END LOOP;
                """.formatted(value, castType, Hold.LOCK_CLASS);
    }
}
