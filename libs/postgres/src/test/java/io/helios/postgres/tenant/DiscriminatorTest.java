package io.helios.postgres.tenant;

import io.helios.core.change.TableId;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The predicate builder and the literal it relies on, without a server. */
class DiscriminatorTest {

    private static final TableId ORDERS = new TableId("shop", "orders");

    @Test
    void parameterPredicateCastsTheBoundTenantIdToTheColumnType() {
        Discriminator d = new Discriminator(ORDERS, "tenant_id", "pg_catalog.int4", "integer", "007", "7");

        assertThat(d.predicate()).isEqualTo("\"tenant_id\" = ?::pg_catalog.int4");
    }

    @Test
    void literalPredicateCastsAnEscapeStringLiteralToTheColumnType() {
        Discriminator d = new Discriminator(ORDERS, "tenant_id", "pg_catalog.uuid", "uuid",
                "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");

        assertThat(d.literalPredicate())
                .isEqualTo("\"tenant_id\" = E'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::pg_catalog.uuid");
    }

    @Test
    void columnNamesAreQuotedIdentifiers() {
        assertThat(Discriminator.predicate("Org \"Id\"", "public.\"My Type\"", "?"))
                .isEqualTo("\"Org \"\"Id\"\"\" = ?::public.\"My Type\"");
    }

    @Test
    void literalDoublesQuotesAndBackslashesWhateverStandardConformingStringsIs() {
        assertThat(SqlLiteral.of("o'brien")).isEqualTo("E'o''brien'");
        assertThat(SqlLiteral.of("a\\'; DROP TABLE x; --")).isEqualTo("E'a\\\\''; DROP TABLE x; --'");
        assertThat(SqlLiteral.of("\\")).isEqualTo("E'\\\\'");
        assertThat(SqlLiteral.of("ünï ✓ $$ $h$")).isEqualTo("E'ünï ✓ $$ $h$'");
        assertThat(SqlLiteral.of("")).isEqualTo("E''");
    }

    @Test
    void literalRefusesTheNulCharacter() {
        assertThatThrownBy(() -> SqlLiteral.of("a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void refusalNamesTheTenantIdTypeColumnAndTable() {
        String message = Discriminator.message("abc", "integer", "tenant_id", new TableId("public", "x"),
                new SQLException("invalid input syntax for type integer: \"abc\"", "22P02"));

        assertThat(message).isEqualTo("tenant id 'abc' is not a valid integer for column tenant_id of table public.x"
                + " (invalid input syntax for type integer: \"abc\")");
    }
}
