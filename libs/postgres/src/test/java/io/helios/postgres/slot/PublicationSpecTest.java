package io.helios.postgres.slot;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.tenant.Discriminator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicationSpecTest {

    private static final List<TableId> TABLES = List.of(new TableId("shop", "orders"),
            new TableId("shop", "items"), new TableId("other", "x"), new TableId("pg_catalog", "pg_class"));

    @Test
    void unfilteredSchemaTenantPublishesTheWholeSchema() {
        TenantScope scope = new TenantScope("t1", TenancyModel.SCHEMA, "shop", null, null, null);

        assertThat(PublicationSpec.of(scope, List.of(), 17, Map.of()).objects()).isEqualTo("TABLES IN SCHEMA \"shop\"");
    }

    @Test
    void filteredSchemaTenantPublishesItsTables() {
        TenantScope scope = new TenantScope("t1", TenancyModel.SCHEMA, "shop", null, null,
                TableFilter.of(List.of(), List.of("items")));

        assertThat(PublicationSpec.of(scope, TABLES, 17, Map.of()).objects()).isEqualTo("TABLE \"shop\".\"orders\"");
    }

    @Test
    void schemaTenantBefore15PublishesATableList() {
        TenantScope scope = new TenantScope("t1", TenancyModel.SCHEMA, "shop", null, null, null);

        assertThat(PublicationSpec.of(scope, TABLES, 14, Map.of()).objects())
                .isEqualTo("TABLE \"shop\".\"orders\", \"shop\".\"items\"");
    }

    @Test
    void rowTenantFiltersEveryTableWithItsTypedPredicate() {
        TenantScope scope = new TenantScope("o'brien\\", TenancyModel.ROW, "shop", null, "org", null);
        TableId orders = new TableId("shop", "orders");
        TableId items = new TableId("shop", "items");
        Map<TableId, Discriminator> discriminators = Map.of(
                orders, new Discriminator(orders, "org", "pg_catalog.text", "text", "o'brien\\", "o'brien\\"),
                items, new Discriminator(items, "org", "pg_catalog.\"varchar\"", "character varying", "o'brien\\", "o'brien\\"));

        assertThat(PublicationSpec.of(scope, TABLES, 15, discriminators).objects()).isEqualTo(
                "TABLE \"shop\".\"orders\" WHERE (\"org\" = E'o''brien\\\\'::pg_catalog.text), "
                        + "\"shop\".\"items\" WHERE (\"org\" = E'o''brien\\\\'::pg_catalog.\"varchar\")");
    }

    @Test
    void rowTenantWithoutADiscriminatorReadForATableIsAnError() {
        TenantScope scope = new TenantScope("t1", TenancyModel.ROW, "shop", null, null, null);

        assertThatThrownBy(() -> PublicationSpec.of(scope, TABLES, 15, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shop.orders");
    }

    @Test
    void rowTenantNeedsPostgres15() {
        TenantScope scope = new TenantScope("t1", TenancyModel.ROW, "shop", null, null, null);

        assertThatThrownBy(() -> PublicationSpec.of(scope, TABLES, 14, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL 15");
    }

    @Test
    void rowTenantWithoutTablesGetsAnEmptyPublication() {
        TenantScope scope = new TenantScope("t1", TenancyModel.ROW, "shop", null, null, null);

        assertThat(PublicationSpec.of(scope, List.of(new TableId("other", "x")), 17, Map.of()).isEmpty()).isTrue();
    }

    @Test
    void databaseTenantPublishesEveryNonSystemSchemaWithTables() {
        TenantScope scope = new TenantScope("t1", TenancyModel.DATABASE, null, null, null, null);

        assertThat(PublicationSpec.of(scope, TABLES, 16, Map.of()).objects())
                .isEqualTo("TABLES IN SCHEMA \"other\", \"shop\"");
    }
}
