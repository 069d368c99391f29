package io.helios.postgres;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.apply.ApplyResult;
import io.helios.postgres.apply.TransactionApplier;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.testsupport.PostgresCluster;
import io.helios.testsupport.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

import static io.helios.postgres.Sql.exec;
import static io.helios.postgres.Sql.images;
import static io.helios.postgres.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values round-trip exactly: rows read as text from a real source table, applied through both
 * the batched path and the COPY path, read back identical on the target.
 */
class ApplierValuesIT {

    private static final String SRC = "values_src";
    private static final String TGT = "values_tgt";
    private static final String RID = "values-1";
    private static final TenantScope SCOPE = new TenantScope("v1", TenancyModel.SCHEMA, "app", "mirror", null, TableFilter.ALL);
    private static final TableId KINDS = new TableId("app", "kinds");
    private static final String ROW_TEXT = "SELECT string_agg(k::text, E'\\n' ORDER BY id) FROM %s.kinds k";
    private static PostgresCluster pg;
    private static Relation kinds;
    private long lsn = 0x10_0000;

    @BeforeAll
    static void databases() {
        pg = TestClusters.shared();
        pg.createDatabase(SRC);
        pg.createDatabase(TGT);
        exec(pg, SRC, "CREATE SCHEMA app", "CREATE TABLE app.kinds (id bigint PRIMARY KEY, label text, doc jsonb,"
                + " amount numeric(60,25), at timestamptz, tags text[], matrix int[], flag boolean, raw bytea, day date)");
        kinds = Sql.relationOf(pg, SRC, KINDS);
    }

    @BeforeEach
    void freshTarget() throws Exception {
        exec(pg, TGT, "DROP SCHEMA IF EXISTS mirror CASCADE", "DROP SCHEMA IF EXISTS helios CASCADE");
        exec(pg, SRC, "TRUNCATE app.kinds");
        try (Connection c = pg.connect(TGT)) {
            Checkpoints.installSchema(c);
            Checkpoints.insert(c, RID, 1, Lsn.parse("0/1"));
        }
    }

    @Test
    void awkwardValuesRoundTripThroughBatchedInserts() throws Exception {
        exec(pg, SRC, "INSERT INTO app.kinds VALUES"
                + " (1, E'tab\\there, back\\\\slash, new\\nline, cr\\r, quote '' \" ✓ 日本語 🚀', '{\"a\": [1, 2.50, null], \"b\": \"\\\\N\"}',"
                + "  12345678901234567890123456789012345.1234567890123456789012345, '2024-02-29 23:59:59.123456+05:30',"
                + "  ARRAY['x', NULL, 'with,comma', 'with \"quote\"', ''], '{{1,2},{3,4}}', true, '\\x00ff5c0a', 'infinity'),"
                + " (2, NULL, 'null', -0.0000000000000000000000001, '-infinity', '{}', NULL, NULL, '\\x', '0001-01-01 BC'),"
                + " (3, '\\N', '\"\\\\N\"', 'NaN', '1970-01-01 00:00:00+00', ARRAY[NULL]::text[], '{}', false, NULL, NULL)");
        apply(images(pg, SRC, "SELECT * FROM app.kinds ORDER BY id"));
        assertThat(scalar(pg, TGT, ROW_TEXT.formatted("mirror"))).isEqualTo(scalar(pg, SRC, ROW_TEXT.formatted("app")));
        assertThat(scalar(pg, TGT, "SELECT label IS NULL FROM mirror.kinds WHERE id = 2")).isEqualTo("t");
        assertThat(scalar(pg, TGT, "SELECT label FROM mirror.kinds WHERE id = 3")).isEqualTo("\\N");
    }

    @Test
    void fiveThousandRowInsertRunGoesThroughCopyAndRoundTrips() throws Exception {
        exec(pg, SRC, "INSERT INTO app.kinds SELECT g, E'row\\t' || g || E'\\n\\\\ ✓', jsonb_build_object('g', g, 's', E'a\\tb'),"
                + " g * 1.0000000000000000000000001, timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second',"
                + " ARRAY['t' || g, NULL], ARRAY[g, -g], g % 2 = 0, decode(lpad(to_hex(g), 8, '0'), 'hex'),"
                + " date '2000-01-01' + g FROM generate_series(1, 5000) g",
                "UPDATE app.kinds SET label = NULL WHERE id % 7 = 0", "UPDATE app.kinds SET label = '\\N' WHERE id % 11 = 0");
        ApplyResult result = apply(images(pg, SRC, "SELECT * FROM app.kinds ORDER BY id"));
        assertThat(result.rows()).isEqualTo(5000);
        assertThat(scalar(pg, TGT, "SELECT count(*) FROM mirror.kinds")).isEqualTo("5000");
        assertThat(scalar(pg, TGT, ROW_TEXT.formatted("mirror"))).isEqualTo(scalar(pg, SRC, ROW_TEXT.formatted("app")));
        assertThat(scalar(pg, TGT, "SELECT lsn::text FROM helios.replication_checkpoint")).isEqualTo(new Lsn(lsn).toString());
    }

    @Test
    void imagesHeldAsReceivedBytesGoThroughCopyExactly() throws Exception {
        exec(pg, SRC, "INSERT INTO app.kinds SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE E'\\\\ \\t\\r\\n ✓ 🚀 ' || g END,"
                + " jsonb_build_object('s', E'a\\tb\\\\'), g, now(), NULL, NULL, NULL, NULL, NULL FROM generate_series(1, 500) g");
        List<RowImage> received = images(pg, SRC, "SELECT * FROM app.kinds ORDER BY id").stream().map(ApplierValuesIT::asReceived).toList();
        assertThat(received.get(0).utf8Bytes()).isNotNull();
        apply(received);
        assertThat(scalar(pg, TGT, ROW_TEXT.formatted("mirror"))).isEqualTo(scalar(pg, SRC, ROW_TEXT.formatted("app")));
    }

    /** The image as the pgoutput decoder builds it: a view of values inside a larger message buffer. */
    private static RowImage asReceived(RowImage img) {
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        message.writeBytes("header-bytes\t\\".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int[] offsets = new int[img.size()];
        int[] lengths = new int[img.size()];
        for (int i = 0; i < img.size(); i++) {
            String v = img.get(i);
            if (v == null) {
                lengths[i] = RowImage.NULL_LENGTH;
                continue;
            }
            byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            offsets[i] = message.size();
            lengths[i] = b.length;
            message.writeBytes(b);
            message.write('\n');
        }
        return RowImage.ofUtf8(message.toByteArray(), offsets, lengths);
    }

    @Test
    void updatesWriteNullsAndAwkwardValuesExactly() throws Exception {
        exec(pg, SRC, "INSERT INTO app.kinds (id, label, amount) VALUES (1, 'before', 1)");
        apply(images(pg, SRC, "SELECT * FROM app.kinds"));
        exec(pg, SRC, "UPDATE app.kinds SET label = NULL, doc = '{\"k\": \"é\", \"n\": 1e3}', amount = 0.1000000000000000000000001,"
                + " tags = '{\"a b\",c}', at = '2030-06-30 12:00:00-07' WHERE id = 1");
        RowImage after = images(pg, SRC, "SELECT * FROM app.kinds").get(0);
        try (TransactionApplier a = applier()) {
            a.apply(List.of(tx(Change.update(kinds, null, after))));
        }
        assertThat(scalar(pg, TGT, ROW_TEXT.formatted("mirror"))).isEqualTo(scalar(pg, SRC, ROW_TEXT.formatted("app")));
    }

    private ApplyResult apply(List<RowImage> rows) throws Exception {
        try (TransactionApplier a = applier()) {
            return a.apply(List.of(tx(rows.stream().map(r -> Change.insert(kinds, r)).toArray(Change[]::new))));
        }
    }

    private TransactionApplier applier() {
        return new TransactionApplier(Sql.endpoint(pg, TGT), Sql.endpoint(pg, SRC), SCOPE, RID, 1, ConflictStrategy.ERROR);
    }

    private SourceTransaction tx(Change... changes) {
        lsn += 0x100;
        return new SourceTransaction(lsn, new Lsn(lsn - 8), new Lsn(lsn), Instant.parse("2025-01-01T00:00:00Z"), List.of(changes));
    }
}
