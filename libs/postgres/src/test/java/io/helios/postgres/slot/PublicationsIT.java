package io.helios.postgres.slot;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PublicationsIT {

    private static final SlotFixture db = new SlotFixture("publications_it");

    @Test
    void unfilteredSchemaPublicationTakesInNewTables() throws Exception {
        db.sql("CREATE SCHEMA tenant_a", "CREATE TABLE tenant_a.one (id int PRIMARY KEY)");
        ensure("pub_a", new TenantScope("a", TenancyModel.SCHEMA, "tenant_a", null, null, null), List.of());

        db.sql("CREATE TABLE tenant_a.two (id int PRIMARY KEY)");

        assertThat(published("pub_a")).containsExactly("tenant_a.one", "tenant_a.two");
    }

    @Test
    void filteredSchemaPublicationIsReconciledToTheFilter() throws Exception {
        db.sql("CREATE SCHEMA tenant_b", "CREATE TABLE tenant_b.keep (id int)", "CREATE TABLE tenant_b.skip (id int)",
                "CREATE TABLE tenant_b.later (id int)");
        TenantScope scope = new TenantScope("b", TenancyModel.SCHEMA, "tenant_b", null, null,
                TableFilter.of(List.of(), List.of("skip")));
        ensure("pub_b", scope, List.of(table("tenant_b", "keep"), table("tenant_b", "skip")));
        assertThat(published("pub_b")).containsExactly("tenant_b.keep");

        ensure("pub_b", scope, List.of(table("tenant_b", "keep"), table("tenant_b", "later")));

        assertThat(published("pub_b")).containsExactly("tenant_b.keep", "tenant_b.later");
    }

    @Test
    void rowPublicationFiltersEachTableAndCanBeEmptied() throws Exception {
        db.sql("CREATE SCHEMA shared_c", "CREATE TABLE shared_c.x (tenant_id text, id int)",
                "CREATE TABLE shared_c.y (tenant_id text, id int)");
        TenantScope scope = new TenantScope("o'c", TenancyModel.ROW, "shared_c", null, null, null);
        ensure("pub_c", scope, List.of());
        assertThat(Publications.exists(db.connect(), "pub_c")).isTrue();
        assertThat(published("pub_c")).isEmpty();

        ensure("pub_c", scope, List.of(table("shared_c", "x"), table("shared_c", "y")));
        assertThat(published("pub_c")).containsExactly("shared_c.x", "shared_c.y");
        assertThat(db.text("SELECT rowfilter FROM pg_publication_tables WHERE pubname = 'pub_c' LIMIT 1"))
                .isEqualTo("(tenant_id = 'o''c'::text)");

        ensure("pub_c", scope, List.of());
        assertThat(published("pub_c")).isEmpty();
    }

    @Test
    void databasePublicationCoversEachSchemaWithTables() throws Exception {
        db.sql("CREATE SCHEMA d1", "CREATE TABLE d1.t (id int)", "CREATE SCHEMA d2", "CREATE TABLE d2.t (id int)");
        ensure("pub_d", new TenantScope("d", TenancyModel.DATABASE, null, null, null, null),
                List.of(table("d1", "t"), table("d2", "t")));

        assertThat(published("pub_d")).containsExactly("d1.t", "d2.t");
        assertThat(Publications.exists(db.connect(), "pub_none")).isFalse();
    }

    @Test
    void aRestartLeavesAnUnchangedPublicationAloneAndRepairsADriftedOne() throws Exception {
        db.sql("CREATE SCHEMA shared_e", "CREATE TABLE shared_e.x (tenant_id text, id int)",
                "CREATE TABLE shared_e.y (tenant_id text, id int)");
        TenantScope scope = new TenantScope("e", TenancyModel.ROW, "shared_e", null, null, null);
        List<TableId> tables = List.of(table("shared_e", "x"), table("shared_e", "y"));
        ensure("pub_e", scope, tables);

        // an application holds a lock that ALTER PUBLICATION would wait for: an unchanged
        // publication must not be altered, so the restart neither waits nor invalidates the tables
        try (Connection app = db.connect(); Statement s = app.createStatement()) {
            app.setAutoCommit(false);
            s.execute("LOCK TABLE shared_e.x IN SHARE UPDATE EXCLUSIVE MODE");
            try (Connection c = db.connect(); Statement t = c.createStatement()) {
                t.execute("SET lock_timeout = '2s'");
                Publications.ensure(c, "pub_e", scope, tables);
            }
            app.rollback();
        }

        db.sql("ALTER PUBLICATION pub_e DROP TABLE shared_e.y");
        ensure("pub_e", scope, tables);
        assertThat(published("pub_e")).containsExactly("shared_e.x", "shared_e.y");

        ensure("pub_e", new TenantScope("f", TenancyModel.ROW, "shared_e", null, null, null), tables);
        assertThat(db.text("SELECT DISTINCT rowfilter FROM pg_publication_tables WHERE pubname = 'pub_e'"))
                .isEqualTo("(tenant_id = 'f'::text)");
    }

    private static TableId table(String schema, String name) {
        return new TableId(schema, name);
    }

    private static void ensure(String publication, TenantScope scope, List<TableId> tables) throws SQLException {
        try (Connection c = db.connect()) {
            Publications.ensure(c, publication, scope, tables);
        }
    }

    private static List<String> published(String publication) throws SQLException {
        return db.column("SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = '"
                + publication + "' ORDER BY 1");
    }
}
