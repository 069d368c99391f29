package io.helios.pgoutput;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.copy.InitialCopy;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationSlots;
import io.helios.postgres.slot.SlotSnapshot;
import io.helios.postgres.tenant.InvalidTenantIdException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A ROW tenant's rows are the same rows for the publication filter, the initial copy, the
 * stream (insert, update, delete), a replicated TRUNCATE and the fence, whatever the
 * discriminator's type, with tenant ids a text comparison gets wrong: {@code 007} on an integer
 * column is tenant 7, an upper-case uuid is its lower-case self, text matches exactly. Other
 * tenants' rows are never copied, streamed, removed nor fenced.
 */
class DiscriminatorTypesIT {

    private static final CaptureFixture src = new CaptureFixture("discrim_src");
    private static final String UUID = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";

    /**
     * One discriminator type under test.
     *
     * @param schema  the shared tables' schema (source and target)
     * @param type    the column's type on the first table ({@code accounts})
     * @param ledger  the column's type on the second table ({@code ledger}), which may differ
     * @param tenant  the tenant id as configured
     * @param mine    the tenant's value as SQL, written as rows store it
     * @param spelled another SQL spelling of the tenant's value (an application's write the fence must refuse)
     * @param others  other tenants' values as SQL, chosen to look like the tenant's
     */
    private record Case(String schema, String type, String ledger, String tenant, String mine, String spelled,
                        List<String> others) {

        TenantScope scope() {
            return new TenantScope(tenant, TenancyModel.ROW, schema, null, null, null);
        }

        List<TableId> tables() {
            return List.of(new TableId(schema, "accounts"), new TableId(schema, "ledger"));
        }
    }

    @Test
    void integerTenant007IsTenant7Everywhere() throws Exception {
        replicate(new Case("d_int", "int", "bigint", "007", "7", "'007'::int", List.of("8", "70", "0")));
    }

    @Test
    void upperCaseUuidTenantIsTheSameUuidWrittenInLowerCase() throws Exception {
        replicate(new Case("d_uuid", "uuid", "uuid", UUID.toUpperCase(), "'" + UUID + "'::uuid",
                "'{" + UUID.toUpperCase() + "}'::uuid",
                List.of("'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'::uuid")));
    }

    @Test
    void textTenantWithQuotesBackslashesAndUnicodeMatchesExactly() throws Exception {
        replicate(new Case("d_text", "text", "varchar(40)", "O'Brien\\\"; ✓ ünï", "E'O''Brien\\\\\"; ✓ ünï'",
                "E'O''Brien\\\\\"; ✓ ünï'::varchar",
                List.of("E'O''Brien'", "E'o''brien\\\\\"; ✓ ünï'", "E'O''Brien\\\\\"; ✓ uni'", "E'O''Brien\\\\\"; ✓ ünï '")));
    }

    @Test
    void numericLookingTextTenantIsNotItsNumber() throws Exception {
        replicate(new Case("d_digits", "text", "char(4)", "007", "'007'", "'007'::varchar",
                List.of("'7'", "'0007'", "'07'")));
    }

    @Test
    void tenantIdTheColumnTypeRefusesFailsBeforeAnythingIsPublishedOrFenced() throws Exception {
        src.sql("CREATE SCHEMA d_bad", "CREATE TABLE d_bad.accounts (tenant_id int, id int, PRIMARY KEY (tenant_id, id))");
        TableId accounts = new TableId("d_bad", "accounts");
        try (Connection c = src.connect()) {
            assertThatThrownBy(() -> Publications.ensure(c, "d_bad", scope("abc", "d_bad"), List.of(accounts)))
                    .isInstanceOf(InvalidTenantIdException.class)
                    .hasMessage("tenant id 'abc' is not a valid integer for column tenant_id of table d_bad.accounts"
                            + " (invalid input syntax for type integer: \"abc\")");
            assertThatThrownBy(() -> Publications.ensure(c, "d_bad", scope("99999999999", "d_bad"), List.of(accounts)))
                    .isInstanceOf(InvalidTenantIdException.class).hasMessageContaining("out of range");
            assertThat(Publications.exists(c, "d_bad")).isFalse();
            Fence.installSchema(c);
            assertThatThrownBy(() -> Fence.protect(c, accounts, scope("abc", "d_bad")))
                    .isInstanceOf(InvalidTenantIdException.class);
        }
        assertThat(src.text("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'd_bad.accounts'::regclass")).isEqualTo("0");
    }

    private void replicate(Case k) throws Exception {
        String tgt = k.schema() + "_tgt";
        src.cluster.createDatabase(tgt);
        PgEndpoint target = new PgEndpoint(src.cluster.jdbcUrl(tgt), src.cluster.user(), src.cluster.password());
        String ddl = "CREATE TABLE %s.%s (tenant_id %s NOT NULL, id int, v text, PRIMARY KEY (tenant_id, id))";
        List<String> schema = List.of("CREATE SCHEMA " + k.schema(), ddl.formatted(k.schema(), "accounts", k.type()),
                ddl.formatted(k.schema(), "ledger", k.ledger()));
        src.sql(schema.toArray(String[]::new));
        sql(tgt, schema.toArray(String[]::new));
        for (String table : List.of("accounts", "ledger")) {
            insert(src.database, k, table, k.mine(), 1, 50);
            for (String other : k.others()) {
                insert(src.database, k, table, other, 1, 50);
            }
            // on the target: a stale row of the tenant (the copy clears it) and a local row of another tenant
            insert(tgt, k, table, k.mine(), 999, 999);
            insert(tgt, k, table, k.others().get(0), 1000, 1000);
        }
        try (Connection c = src.connect()) {
            Publications.ensure(c, k.schema(), k.scope(), k.tables());
        }
        String slot = k.schema() + "_slot";
        try (SlotSnapshot snapshot = ReplicationSlots.createWithSnapshot(src.endpoint, slot)) {
            InitialCopy.run(src.endpoint, snapshot.snapshotName(), snapshot.consistentPoint(), target, k.scope(),
                    slot, 1, (table, done, estimated) -> { });
            try (PgOutputCaptureEngine engine = new PgOutputCaptureEngine(src.endpoint, slot, k.schema(), 100);
                 TransactionApplier applier = new TransactionApplier(target, src.endpoint, k.scope(), slot, 1,
                         ConflictStrategy.ERROR)) {
                engine.start(snapshot.consistentPoint());
                applier.resumeAfter(snapshot.consistentPoint());
                assertTenantEqual(k, tgt);
                assertTenantRows(k, tgt, "accounts", 50);
                assertTenantRows(k, tgt, "ledger", 50);
                assertFence(k, tgt);
                stream(k, tgt, engine, applier);
            }
        } finally {
            try (Connection c = src.connect()) {
                ReplicationSlots.drop(c, slot);
            }
        }
    }

    /** Inserts, updates and deletes of every tenant, then a TRUNCATE and new rows: the target follows its tenant only. */
    private void stream(Case k, String tgt, PgOutputCaptureEngine engine, TransactionApplier applier) throws Exception {
        String all = String.join(", ", values(k));
        for (String table : List.of("accounts", "ledger")) {
            String t = k.schema() + "." + table;
            src.sql("INSERT INTO " + t + " SELECT v, g, 'new' FROM unnest(ARRAY[" + all + "]) v, generate_series(51, 60) g");
            applyUntilEqual(k, tgt, engine, applier);
            src.sql("UPDATE " + t + " SET v = v || '!' WHERE id % 3 = 0");
            applyUntilEqual(k, tgt, engine, applier);
            src.sql("DELETE FROM " + t + " WHERE id % 4 = 0");
            applyUntilEqual(k, tgt, engine, applier);
            assertTenantRows(k, tgt, table, 45);
        }
        src.sql("TRUNCATE " + k.schema() + ".accounts");
        applyUntilEqual(k, tgt, engine, applier);
        assertTenantRows(k, tgt, "accounts", 0);
        assertTenantRows(k, tgt, "ledger", 45);
        src.sql("INSERT INTO " + k.schema() + ".accounts SELECT v, g, 'again' FROM unnest(ARRAY[" + all + "]) v,"
                + " generate_series(1, 5) g");
        applyUntilEqual(k, tgt, engine, applier);
        assertTenantRows(k, tgt, "accounts", 5);
    }

    private void applyUntilEqual(Case k, String tgt, PgOutputCaptureEngine engine, TransactionApplier applier) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            SourceTransaction tx = engine.poll(Duration.ofMillis(200));
            if (tx != null) {
                applier.apply(List.of(tx));
                engine.confirm(tx.endLsn());
            }
            assertTenantEqual(k, tgt);
        });
    }

    private static void assertTenantRows(Case k, String tgt, String table, int rows) throws SQLException {
        assertThat(scalar(tgt, "SELECT count(*) FROM %s.%s WHERE tenant_id = %s".formatted(k.schema(), table, k.mine())))
                .as("the tenant's rows of %s on the target", table).isEqualTo(String.valueOf(rows));
    }

    /** The tenant's rows equal on both sides, the target's other rows are its one local row per table. */
    private void assertTenantEqual(Case k, String tgt) throws SQLException {
        String rows = "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM %s.%s x"
                + " WHERE tenant_id = " + k.mine();
        for (String table : List.of("accounts", "ledger")) {
            String sum = rows.formatted(k.schema(), table);
            assertThat(scalar(tgt, sum)).as("tenant rows of %s", table).isEqualTo(src.text(sum));
            assertThat(scalar(tgt, "SELECT string_agg(id::text, ',') FROM %s.%s WHERE tenant_id <> %s"
                    .formatted(k.schema(), table, k.mine()))).as("other tenants' rows of %s", table).isEqualTo("1000");
        }
    }

    /** Applications cannot write the tenant's rows on the target, however they spell it; other tenants' rows stay writable. */
    private void assertFence(Case k, String tgt) throws SQLException {
        String t = k.schema() + ".accounts";
        String other = k.others().get(0);
        for (String refused : List.of("INSERT INTO " + t + " VALUES (" + k.mine() + ", 5000, 'app')",
                "INSERT INTO " + t + " VALUES (" + k.spelled() + ", 5001, 'app')",
                "UPDATE " + t + " SET v = 'app' WHERE id = 1",
                "UPDATE " + t + " SET tenant_id = " + k.mine() + " WHERE id = 1000",
                "DELETE FROM " + t + " WHERE tenant_id = " + k.spelled(),
                "TRUNCATE " + t)) {
            assertThatThrownBy(() -> sql(tgt, refused)).as(refused).hasMessageContaining("is read-only on this endpoint")
                    .hasMessageContaining("tenant \"" + k.tenant() + "\"");
        }
        sql(tgt, "INSERT INTO " + t + " VALUES (" + other + ", 5002, 'app')", "UPDATE " + t + " SET v = 'app' WHERE id = 1000",
                "DELETE FROM " + t + " WHERE id = 5002");
        for (String o : k.others().subList(1, k.others().size())) {
            sql(tgt, "INSERT INTO " + t + " VALUES (" + o + ", 5003, 'app')", "DELETE FROM " + t + " WHERE id = 5003");
        }
    }

    private static List<String> values(Case k) {
        List<String> all = new ArrayList<>(k.others());
        all.add(0, k.mine());
        return all;
    }

    private static void insert(String db, Case k, String table, String value, int from, int to) throws SQLException {
        sql(db, "INSERT INTO %s.%s SELECT %s, g, 'v' || g FROM generate_series(%d, %d) g"
                .formatted(k.schema(), table, value, from, to));
    }

    private static TenantScope scope(String tenant, String schema) {
        return new TenantScope(tenant, TenancyModel.ROW, schema, null, null, null);
    }

    private static void sql(String db, String... statements) throws SQLException {
        try (Connection c = src.cluster.connect(db); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    private static String scalar(String db, String query) throws SQLException {
        try (Connection c = src.cluster.connect(db); Statement s = c.createStatement();
             var rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
