package io.helios.core.tenant;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableFilterTest {

    @Test
    void includesAndExcludesByGlob() {
        TableFilter f = TableFilter.of(List.of("order*", "app.customers"), List.of("*_archive"));
        assertThat(f.accepts("app", "orders")).isTrue();
        assertThat(f.accepts("app", "order_items")).isTrue();
        assertThat(f.accepts("app", "customers")).isTrue();
        assertThat(f.accepts("other", "customers")).isFalse();
        assertThat(f.accepts("app", "orders_archive")).isFalse();
        assertThat(f.accepts("app", "invoices")).isFalse();
    }

    @Test
    void emptyIncludeMeansAll() {
        assertThat(TableFilter.ALL.accepts("s", "anything")).isTrue();
    }

    @Test
    void rejectsInvalidPatterns() {
        assertThatThrownBy(() -> TableGlob.parse("orders; drop table x")).hasMessageContaining("not valid");
        assertThatThrownBy(() -> TableGlob.parse("a.b.c")).hasMessageContaining("not valid");
    }

    @Test
    void validatesIdentifiers() {
        assertThat(Identifiers.isValid("tenant_a")).isTrue();
        assertThat(Identifiers.isValid("1abc")).isFalse();
        assertThat(Identifiers.isValid("a\"b")).isFalse();
    }
}
