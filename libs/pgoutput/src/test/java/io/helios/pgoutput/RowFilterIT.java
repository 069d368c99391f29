package io.helios.pgoutput;

import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.slot.Publications;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RowFilterIT {

    private static final CaptureFixture db = new CaptureFixture("pgoutput_rowfilter_it");

    @Test
    void rowPublicationKeepsOtherTenantsRowsOutAndReleasesTheirWal() throws Exception {
        db.sql("CREATE SCHEMA shared",
                "CREATE TABLE shared.orders (tenant_id text, id int, v text, PRIMARY KEY (tenant_id, id))");
        try (Connection c = db.connect()) {
            Publications.ensure(c, "acme_pub", new TenantScope("acme", TenancyModel.ROW, "shared", null, null, null),
                    List.of(new TableId("shared", "orders")));
        }
        db.createSlot("acme_slot");
        try (PgOutputCaptureEngine engine = new PgOutputCaptureEngine(db.endpoint, "acme_slot", "acme_pub", 8)) {
            engine.start(Lsn.ZERO);
            db.sql("INSERT INTO shared.orders VALUES ('globex', 1, 'g'), ('acme', 1, 'a'), ('globex', 2, 'g')",
                    "UPDATE shared.orders SET v = v || '!'",
                    "DELETE FROM shared.orders WHERE id = 1");

            List<SourceTransaction> txs = CaptureFixture.take(engine, 3);
            assertThat(txs).allSatisfy(tx -> assertThat(tx.changes()).hasSize(1)
                    .allSatisfy(ch -> assertThat(tenantOf(ch)).isEqualTo("acme")));
            assertThat(txs.get(1).changes().get(0).after().get(2)).isEqualTo("a!");
            engine.confirm(txs.get(2).endLsn());

            db.sql("INSERT INTO shared.orders SELECT 'globex', g, 'x' FROM generate_series(10, 500) g");
            Lsn written = db.currentLsn();
            // nothing of acme in flight: the engine offers the position, the consumer records and confirms it
            await().atMost(CaptureFixture.WAIT).until(() -> engine.idleUpTo() != null
                    && engine.idleUpTo().compareTo(written) >= 0);
            engine.confirm(engine.idleUpTo());
            await().atMost(CaptureFixture.WAIT).until(() -> db.confirmedFlush("acme_slot").compareTo(written) >= 0);
            assertThat(engine.poll(Duration.ofMillis(200))).isNull();
        }
    }

    private static String tenantOf(Change change) {
        return (change.after() != null ? change.after() : change.before()).get(0);
    }
}
