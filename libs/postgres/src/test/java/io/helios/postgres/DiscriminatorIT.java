package io.helios.postgres;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.tenant.Discriminator;
import io.helios.postgres.tenant.InvalidTenantIdException;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The discriminator read from a real catalog: the type the tenant id is cast to, what it refuses, literal safety. */
class DiscriminatorIT {

    private static final String DB = "discriminator_it";
    private static PostgresCluster pg;

    @BeforeAll
    static void setUp() {
        pg = TestClusters.shared();
        pg.createDatabase(DB);
        exec(pg, DB, "CREATE SCHEMA kinds", "CREATE TYPE kinds.\"Tier\" AS ENUM ('gold', 'silver')",
                "CREATE DOMAIN kinds.small_id AS int CHECK (VALUE < 100)",
                "CREATE TABLE kinds.ints (tenant_id int, id int, PRIMARY KEY (tenant_id, id))",
                "CREATE TABLE kinds.short (tenant_id varchar(3), id int, PRIMARY KEY (tenant_id, id))",
                "CREATE TABLE kinds.tiers (tenant_id kinds.\"Tier\", id int, PRIMARY KEY (tenant_id, id))",
                "CREATE TABLE kinds.domains (tenant_id kinds.small_id, id int, PRIMARY KEY (tenant_id, id))",
                "CREATE TABLE kinds.texts (tenant_id text, id int, v text, PRIMARY KEY (tenant_id, id))",
                "CREATE TABLE kinds.none (id int PRIMARY KEY)",
                "INSERT INTO kinds.short VALUES ('abc', 1)", "INSERT INTO kinds.tiers VALUES ('gold', 1)");
    }

    @Test
    void castTypeIsTheQualifiedTypeWithoutModifier() throws Exception {
        assertThat(read("ints", "007")).extracting(Discriminator::castType, Discriminator::typeName, Discriminator::value)
                .containsExactly("pg_catalog.int4", "integer", "7");
        assertThat(read("short", "abcd")).extracting(Discriminator::castType, Discriminator::value)
                .containsExactly("pg_catalog.\"varchar\"", "abcd");
        assertThat(read("tiers", "gold").castType()).isEqualTo("kinds.\"Tier\"");
    }

    @Test
    void aLongerIdIsNotTruncatedIntoAnotherTenantsId() throws Exception {
        Discriminator d = read("short", "abcd");
        try (Connection c = pg.connect(DB); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM kinds.short WHERE " + d.predicate())) {
            d.bind(ps, 1);
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        assertThat(scalar(pg, DB, "SELECT count(*) FROM kinds.short WHERE " + read("short", "abc").literalPredicate()))
                .isEqualTo("1");
    }

    @Test
    void valuesTheTypeRefusesAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> read("tiers", "bronze")).isInstanceOf(InvalidTenantIdException.class)
                .hasMessageStartingWith("tenant id 'bronze' is not a valid kinds.\"Tier\" for column tenant_id of table kinds.tiers");
        assertThatThrownBy(() -> read("domains", "100")).isInstanceOf(InvalidTenantIdException.class)
                .hasMessageContaining("kinds.small_id").hasMessageContaining("small_id_check");
        assertThatThrownBy(() -> read("ints", "7.0")).isInstanceOf(InvalidTenantIdException.class);
        assertThatThrownBy(() -> read("none", "7")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("discriminator column tenant_id missing in table kinds.none");
    }

    @Test
    void literalsHoldWithStandardConformingStringsOff() throws Exception {
        String tenant = "x\\'; DROP TABLE kinds.texts; --";
        TableId texts = new TableId("kinds", "texts");
        TenantScope scope = scope(tenant);
        try (Connection c = pg.connect(DB)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET standard_conforming_strings = off");
                s.execute("SET escape_string_warning = off");
            }
            Publications.ensure(c, "texts_pub", scope, List.of(texts));
            Fence.installSchema(c);
            Fence.protect(c, texts, scope);
            Fence.fence(c, tenant, "literal test");
        }
        try (Connection c = pg.connect(DB); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO kinds.texts VALUES (?, 1, 'app')")) {
            ps.setString(1, tenant);
            assertThatThrownBy(ps::executeUpdate).hasMessageContaining("is read-only on this endpoint");
        }
        assertThat(scalar(pg, DB, "SELECT rowfilter FROM pg_publication_tables WHERE pubname = 'texts_pub'"))
                .isEqualTo("(tenant_id = 'x\\''; DROP TABLE kinds.texts; --'::text)");
        exec(pg, DB, "INSERT INTO kinds.texts VALUES ('x', 1, 'other tenants stay writable')");
    }

    @Test
    void fenceRefusesOnlyTheFencedOfTheTenantsProtectedOnATable() throws Exception {
        exec(pg, DB, "CREATE TABLE kinds.shared (tenant_id bigint, id int, PRIMARY KEY (tenant_id, id))");
        TableId shared = new TableId("kinds", "shared");
        try (Connection c = pg.connect(DB)) {
            Fence.installSchema(c);
            Fence.protect(c, shared, scope("0042"));
            Fence.protect(c, shared, scope("43"));
            Fence.fence(c, "43", "replica of r43");
        }
        exec(pg, DB, "INSERT INTO kinds.shared VALUES (42, 1), (44, 1)", "UPDATE kinds.shared SET id = 2 WHERE tenant_id = 42");
        assertThatThrownBy(() -> exec(pg, DB, "INSERT INTO kinds.shared VALUES (43, 1)"))
                .hasMessageContaining("tenant \"43\" is read-only on this endpoint (helios fence: replica of r43)");
        try (Connection c = pg.connect(DB)) {
            Fence.fence(c, "0042", "replica of r42");
        }
        assertThatThrownBy(() -> exec(pg, DB, "UPDATE kinds.shared SET id = 3 WHERE tenant_id = 42"))
                .hasMessageContaining("tenant \"0042\"");
        assertThatThrownBy(() -> exec(pg, DB, "TRUNCATE kinds.shared")).hasMessageContaining("is read-only");
        exec(pg, DB, "UPDATE kinds.shared SET id = 3 WHERE tenant_id = 44");
    }

    @Test
    void tablesWithTheSameDiscriminatorShareOneCompiledRowGuard() throws Exception {
        exec(pg, DB, "CREATE TABLE kinds.one (tenant_id int, id int)", "CREATE TABLE kinds.two (tenant_id int, id int)",
                "CREATE TABLE kinds.odd (\"t$f$\" int, id int)");
        try (Connection c = pg.connect(DB)) {
            Fence.installSchema(c);
            Fence.protect(c, new TableId("kinds", "one"), scope("9"));
            Fence.protect(c, new TableId("kinds", "two"), scope("9"));
            Fence.protect(c, new TableId("kinds", "odd"), new TenantScope("9", TenancyModel.ROW, "kinds", null, "t$f$", null));
            Fence.fence(c, "9", "replica of r9");
        }
        assertThat(scalar(pg, DB, "SELECT count(DISTINCT tgfoid) FROM pg_trigger WHERE tgname = 'helios_fence_row'"
                + " AND tgrelid IN ('kinds.one'::regclass, 'kinds.two'::regclass)")).isEqualTo("1");
        for (String table : List.of("one", "two", "odd")) {
            assertThatThrownBy(() -> exec(pg, DB, "INSERT INTO kinds." + table + " VALUES ('09', 1)"))
                    .hasMessageContaining("tenant \"9\" is read-only");
            exec(pg, DB, "INSERT INTO kinds." + table + " VALUES (90, 1)");
        }
    }

    private static Discriminator read(String table, String tenant) throws SQLException {
        try (Connection c = pg.connect(DB)) {
            return Discriminator.of(c, new TableId("kinds", table), scope(tenant));
        }
    }

    private static TenantScope scope(String tenant) {
        return new TenantScope(tenant, TenancyModel.ROW, "kinds", null, null, null);
    }
}
