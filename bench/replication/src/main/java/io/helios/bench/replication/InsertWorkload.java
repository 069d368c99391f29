package io.helios.bench.replication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The insert workload: one shared table with a tenant column, replicated as the tenant's rows
 * (Helios ROW model, native publication with a row filter). The backlog is N tenant rows
 * interleaved with N other tenants' rows in 1000-row transactions; the steady load is one writer
 * inserting 10-row tenant transactions at a fixed row rate. Ids grow with commit order, so
 * max(id) + 1 is the progress probe, and the first row of each 10-row transaction is the one the
 * lag measurement looks up.
 */
final class InsertWorkload implements Workload {

    static final String TENANT = "bench";
    private static final int TX_ROWS = 10;
    private static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS public.bench_rows (tenant_id text NOT NULL,"
            + " id bigint NOT NULL, payload text, amount numeric(14,2), at timestamptz NOT NULL DEFAULT now(),"
            + " PRIMARY KEY (tenant_id, id))";
    private static final String TENANT_ROWS = "public.bench_rows t WHERE tenant_id = '" + TENANT + "'";
    private static final String COMMIT_MICROS = "(extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint";

    @Override
    public String name() {
        return "insert";
    }

    @Override
    public boolean perTransaction() {
        return false;
    }

    @Override
    public String backlogProperty() {
        return "rows";
    }

    @Override
    public long defaultBacklog() {
        return 200_000;
    }

    @Override
    public int defaultRate() {
        return 5000;
    }

    @Override
    public int defaultWarmupSeconds() {
        // today's insert run had none: its figures stay comparable with the ones quoted before
        return 0;
    }

    @Override
    public String start(Setup s, boolean withNative) {
        Sql.exec(s.source(), Setup.SOURCE_DB, TABLE_DDL);
        Sql.exec(s.target(), Setup.NATIVE_DB, TABLE_DDL);
        String id = s.startHelios(TENANT, Map.of("tenancyModel", "ROW", "sourceSchema", "public",
                "discriminatorColumn", "tenant_id", "includeTables", List.of("bench_rows")));
        if (withNative) {
            s.startNative("FOR TABLE public.bench_rows WHERE (tenant_id = '" + TENANT + "')", false);
        }
        return id;
    }

    @Override
    public String progressSql() {
        // an index-only look-up, so polling does not steal CPU from the systems being measured
        return "SELECT coalesce(max(id) + 1, 0) FROM public.bench_rows WHERE tenant_id = '" + TENANT + "'";
    }

    @Override
    public Load backlog(Setup s, long rows, int round) throws Exception {
        long firstId = round * rows;
        try (Connection c = s.source().connect(Setup.SOURCE_DB)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.bench_rows (tenant_id, id, payload, amount)"
                    + " SELECT CASE WHEN g % 2 = 0 THEN '" + TENANT + "' ELSE 'other-' || (g % 7) END, g / 2 + ?,"
                    + " md5(g::text) || md5((g + 1)::text), (g % 10000) / 100.0 FROM generate_series(0, 999) g")) {
                for (long done = 0; done < 2 * rows; done += 1000) {
                    ps.setLong(1, firstId + done / 2);
                    ps.executeUpdate();
                    c.commit();
                }
            }
        }
        return new Load(firstId + rows, 2 * rows / 1000, rows, 0, 0,
                "backlog of " + rows + " tenant rows (+" + rows + " other)");
    }

    @Override
    public Load steady(Setup s, int rate, int warmupSeconds, int seconds) throws Exception {
        long txs = (long) rate * (warmupSeconds + seconds) / TX_ROWS;
        long intervalNanos = 1_000_000_000L * TX_ROWS / rate;
        long start = System.nanoTime();
        long startMicros = Clock.micros();
        long windowStart = start + warmupSeconds * 1_000_000_000L;
        long counted = 0;
        try (Connection c = s.source().connect(Setup.SOURCE_DB)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.bench_rows (tenant_id, id, payload, amount)"
                    + " SELECT '" + TENANT + "', ? + g, md5(g::text), g FROM generate_series(0, " + (TX_ROWS - 1) + ") g")) {
                for (long i = 0; i < txs; i++) {
                    long wait = start + i * intervalNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    ps.setLong(1, i * TX_ROWS);
                    ps.executeUpdate();
                    c.commit();
                    if (System.nanoTime() >= windowStart) {
                        counted++;
                    }
                }
            }
        }
        long end = System.nanoTime();
        long windowStartMicros = startMicros + (windowStart - start) / 1000;
        return new Load(txs * TX_ROWS, counted, counted * TX_ROWS, windowStartMicros, startMicros + (end - start) / 1000,
                "steady load");
    }

    @Override
    public String sourceCommitsSql() {
        return "SELECT id, " + COMMIT_MICROS + " FROM public.bench_rows WHERE tenant_id = '" + TENANT + "' AND id % " + TX_ROWS + " = 0";
    }

    @Override
    public String targetRowsSql() {
        return "SELECT id, xmin::text::bigint, " + COMMIT_MICROS + " FROM public.bench_rows"
                + " WHERE tenant_id = '" + TENANT + "' AND id % " + TX_ROWS + " = 0";
    }

    @Override
    public void verify(Setup s, boolean withNative) {
        Sql.verifySame(s, withNative, TENANT_ROWS);
    }
}
