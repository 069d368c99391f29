package io.helios.bench.replication;

import java.util.Locale;
import java.util.Map;

/**
 * The OLTP workloads ({@code oltp}, {@code oltp-mixed}): a TPC-B-like tenant schema {@code oltp}
 * (5 branches, 50 tellers, {@code -Daccounts} accounts, an insert-only history) written by
 * {@link OltpClients}. Helios replicates the schema (SCHEMA model, same schema name on the
 * target); native replication publishes {@code FOR TABLES IN SCHEMA oltp} to the same tables
 * made with the same DDL in its own database. The initial rows are loaded before either starts
 * and both copy them the way each copies a new tenant (Helios' initial copy, native
 * {@code copy_data = true}); a load starts only once both hold the source's data. Each
 * transaction inserts one history row: its id is the lag measurement's key, and the history id of
 * a marker transaction committed after a load is the progress goal.
 */
final class OltpWorkload implements Workload {

    static final String SCHEMA = "oltp";
    static final int BRANCHES = 5;
    static final int TELLERS = 50;
    private static final String[] DDL = {
        "CREATE SCHEMA oltp",
        "CREATE TABLE oltp.branches (bid int PRIMARY KEY, bbalance bigint NOT NULL, filler char(88))",
        "CREATE TABLE oltp.tellers (tid int PRIMARY KEY, bid int NOT NULL, tbalance bigint NOT NULL, filler char(84))",
        "CREATE TABLE oltp.accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance bigint NOT NULL, filler char(84))",
        "CREATE TABLE oltp.history (hid bigserial PRIMARY KEY, tid int NOT NULL, bid int NOT NULL, aid int NOT NULL,"
                + " delta int NOT NULL, mtime timestamptz NOT NULL DEFAULT now(), filler text)"};
    private static final String[] TABLES = {"oltp.branches t", "oltp.tellers t", "oltp.accounts t", "oltp.history t"};
    private static final String COMMIT_MICROS = "(extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint";

    private final boolean mixed;
    private final int clientCount;
    private final int accounts;
    private OltpClients clients;

    OltpWorkload(boolean mixed, int clients, int accounts) {
        if (clients < 1 || accounts < 10) {
            throw new IllegalArgumentException("need -Dclients >= 1 and -Daccounts >= 10");
        }
        this.mixed = mixed;
        this.clientCount = clients;
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return mixed ? "oltp-mixed" : "oltp";
    }

    @Override
    public boolean perTransaction() {
        return true;
    }

    @Override
    public String backlogProperty() {
        return "transactions";
    }

    @Override
    public long defaultBacklog() {
        return 100_000;
    }

    @Override
    public int defaultRate() {
        return 1500;
    }

    @Override
    public int defaultWarmupSeconds() {
        return 10;
    }

    @Override
    public String start(Setup s, boolean withNative) {
        Sql.exec(s.source(), Setup.SOURCE_DB, DDL);
        Sql.exec(s.source(), Setup.SOURCE_DB,
                "INSERT INTO oltp.branches SELECT g, 0, '' FROM generate_series(1, " + BRANCHES + ") g",
                "INSERT INTO oltp.tellers SELECT g, 1 + (g - 1) % " + BRANCHES + ", 0, '' FROM generate_series(1, " + TELLERS + ") g",
                "INSERT INTO oltp.accounts SELECT g, 1 + (g - 1) % " + BRANCHES + ", 0, '' FROM generate_series(1, " + accounts + ") g",
                "ANALYZE oltp.branches, oltp.tellers, oltp.accounts, oltp.history");
        String id = s.startHelios(SCHEMA, Map.of("tenancyModel", "SCHEMA", "sourceSchema", SCHEMA, "targetSchema", SCHEMA));
        if (withNative) {
            Sql.exec(s.target(), Setup.NATIVE_DB, DDL);
            s.startNative("FOR TABLES IN SCHEMA " + SCHEMA, true);
        }
        // both copied the initial rows; the load starts from the same state on both targets
        Waits.condition(Setup.SETUP_LIMIT, () -> {
            try {
                Sql.verifySame(s, withNative, TABLES);
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }, () -> "targets did not reach the source's initial " + accounts + " accounts within " + Setup.SETUP_LIMIT.toSeconds() + " s");
        clients = new OltpClients(s.source(), clientCount, accounts, mixed);
        System.out.printf(Locale.ROOT, "%s: %d branches, %d tellers, %d accounts copied to both targets; %d clients%n",
                name(), BRANCHES, TELLERS, accounts, clientCount);
        return id;
    }

    @Override
    public String progressSql() {
        return "SELECT coalesce(max(hid), 0) FROM oltp.history";
    }

    @Override
    public Load backlog(Setup s, long transactions, int round) throws Exception {
        OltpClients.Result r = clients.count(transactions - 1);
        long goal = clients.marker();
        long rows = r.rowChanges() + 4;
        String retried = r.retries() == 0 ? "" : ", " + r.retries() + " retried after a deadlock";
        return new Load(goal, transactions, rows, 0, 0,
                "backlog of " + transactions + " transactions (" + rows + " row changes" + retried + ")");
    }

    @Override
    public Load steady(Setup s, int rate, int warmupSeconds, int seconds) throws Exception {
        long start = System.nanoTime();
        long startMicros = Clock.micros();
        long windowStart = start + warmupSeconds * 1_000_000_000L;
        long end = windowStart + seconds * 1_000_000_000L;
        OltpClients.Result r = clients.paced(rate, windowStart, end);
        long goal = clients.marker();
        if (r.retries() > 0) {
            System.out.println(name() + ": " + r.retries() + " transactions retried after a deadlock or serialization failure");
        }
        return new Load(goal, r.windowTransactions(), r.windowRowChanges(), startMicros + (windowStart - start) / 1000,
                startMicros + (end - start) / 1000, "steady load");
    }

    @Override
    public String sourceCommitsSql() {
        return "SELECT hid, " + COMMIT_MICROS + " FROM oltp.history";
    }

    @Override
    public String targetRowsSql() {
        return "SELECT hid, xmin::text::bigint, " + COMMIT_MICROS + " FROM oltp.history";
    }

    @Override
    public void verify(Setup s, boolean withNative) {
        Sql.verifySame(s, withNative, TABLES);
    }

    @Override
    public void close() {
        if (clients != null) {
            clients.close();
        }
    }
}
