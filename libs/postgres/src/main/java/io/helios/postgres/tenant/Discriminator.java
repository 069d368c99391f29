package io.helios.postgres.tenant;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one comparison of a ROW tenant's discriminator column with the tenant id, on one table:
 * the publication row filter, the initial copy, the removal of the tenant's rows on the target
 * (before a copy, on a replicated TRUNCATE) and the fence all compare through it.
 *
 * <p>The tenant id is cast to the column's own type, read from the catalog of the server the
 * predicate runs on, and compared with that type's equality: {@code "tenant_id" = '007'::int4}.
 * It therefore means what PostgreSQL's equality of the type means: {@code 007} on an integer
 * column is tenant 7 (and so is {@code 7}); an upper-case uuid is the same uuid as its lower-case
 * spelling; a text id matches exactly, so text {@code 007} is not text {@code 7}. The cast names
 * the type without its modifier ({@code varchar(3)} casts to {@code varchar}), since a cast to
 * a modified type may truncate or round the id into another tenant's. A tenant id the type
 * does not accept is refused when the discriminator is read ({@link InvalidTenantIdException}).
 *
 * @param table     the table the predicate runs on
 * @param column    the discriminator column
 * @param castType  the column's type as SQL, schema-qualified and quoted, without modifier
 *                  ({@code pg_catalog.int4}): independent of {@code search_path}
 * @param typeName  the type as {@code format_type} prints it without modifier ({@code integer}), for messages
 * @param tenantId  the tenant id as configured
 * @param value     the tenant id as the column's type prints it ({@code 7} for {@code 007} on an integer)
 */
public record Discriminator(TableId table, String column, String castType, String typeName, String tenantId,
                            String value) {

    private static final String COLUMN_TYPE = "SELECT format('%I.%I', n.nspname, t.typname), format_type(a.atttypid, NULL)"
            + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace n ON n.oid = t.typnamespace"
            + " WHERE a.attrelid = ?::regclass AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped";

    /**
     * Reads the column's type on {@code c} and checks that the tenant id is a value of it. A
     * refused tenant id aborts the caller's transaction when there is one (the exception is thrown
     * anyway).
     *
     * @throws InvalidTenantIdException when the tenant id does not cast to the column's type
     * @throws IllegalStateException    when the table has no such column
     */
    public static Discriminator of(Connection c, TableId table, TenantScope scope) throws SQLException {
        return all(c, List.of(table), scope).get(table);
    }

    /** {@link #of} for several tables of one server, the tenant id checked once per distinct type. */
    public static Map<TableId, Discriminator> all(Connection c, List<TableId> tables, TenantScope scope)
            throws SQLException {
        if (scope.model() != TenancyModel.ROW) {
            throw new IllegalArgumentException("tenant " + scope.tenantId() + " uses the " + scope.model()
                    + " model, which has no discriminator column");
        }
        Map<TableId, Discriminator> out = new LinkedHashMap<>();
        Map<String, String> valueByType = new LinkedHashMap<>();
        for (TableId table : tables) {
            String[] type = columnType(c, table, scope.discriminatorColumn());
            String value = valueByType.get(type[0]);
            if (value == null) {
                value = cast(c, scope.tenantId(), type[0], type[1], scope.discriminatorColumn(), table);
                valueByType.put(type[0], value);
            }
            out.put(table, new Discriminator(table, scope.discriminatorColumn(), type[0], type[1], scope.tenantId(), value));
        }
        return out;
    }

    /** {@code "col" = ?::type}, for a prepared statement: bind the tenant id with {@link #bind}. */
    public String predicate() {
        return predicate(column, castType, "?");
    }

    /** Binds the tenant id to the parameter of {@link #predicate()} at {@code index}. */
    public void bind(PreparedStatement ps, int index) throws SQLException {
        ps.setString(index, tenantId);
    }

    /**
     * {@code "col" = E'id'::type}, for statements that take no parameter (publication row filters,
     * {@code COPY (SELECT ...)}); safe whatever {@code standard_conforming_strings} is.
     */
    public String literalPredicate() {
        return predicate(column, castType, SqlLiteral.of(tenantId));
    }

    /** The typed comparison of a column with a value expression (a parameter or a literal). Pure. */
    static String predicate(String column, String castType, String valueSql) {
        return TableId.quote(column) + " = " + valueSql + "::" + castType;
    }

    /** {@code {qualified cast type, display name}} of the column, or an error naming the table. */
    private static String[] columnType(Connection c, TableId table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COLUMN_TYPE)) {
            ps.setString(1, table.quoted());
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("discriminator column " + column + " missing in table " + table
                            + ": every shared table of a ROW tenant needs it");
                }
                return new String[]{rs.getString(1), rs.getString(2)};
            }
        }
    }

    /** The tenant id cast to the type by the server, printed back; PostgreSQL's own input rules. */
    private static String cast(Connection c, String tenantId, String castType, String typeName, String column,
                               TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (?::" + castType + ")::text")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            // class 22: data exception (syntax, range); 23514: a domain's CHECK constraint
            if (state.startsWith("22") || state.equals("23514")) {
                throw new InvalidTenantIdException(message(tenantId, typeName, column, table, e));
            }
            throw e;
        }
    }

    static String message(String tenantId, String typeName, String column, TableId table, SQLException e) {
        String reason = e.getMessage();
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            reason = m.getMessage();
        }
        return "tenant id '" + tenantId + "' is not a valid " + typeName + " for column " + column + " of table " + table
                + " (" + reason + ")";
    }
}
