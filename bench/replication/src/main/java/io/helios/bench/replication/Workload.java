package io.helios.bench.replication;

/**
 * What a benchmark replicates and writes: the tables on the source, how Helios and the native
 * subscription replicate them, the load, and the probes and checks on the two targets. Each
 * source transaction leaves exactly one row that is never updated nor deleted and that the lag
 * measurement looks up by key ({@link #sourceCommitsSql}, {@link #targetRowsSql}); transactions
 * whose row is deleted later are not measured. Used from one thread.
 */
interface Workload extends AutoCloseable {

    /** As in {@code -Dworkload=}: insert, oltp, oltp-mixed. */
    String name();

    /** True when its figures are per transaction as well as per row (the OLTP workloads). */
    boolean perTransaction();

    /** Property naming the throughput backlog's size, and its default. */
    String backlogProperty();

    long defaultBacklog();

    int defaultRate();

    int defaultWarmupSeconds();

    /**
     * Creates the tables (and initial rows) on the source, starts the Helios replication and, with
     * {@code withNative}, the native subscription (enabled); returns when both targets hold the
     * source's data. Returns the Helios replication id.
     */
    String start(Setup s, boolean withNative);

    /** One number each target reaches ({@link Load#goal()}) once it has applied a whole load; an index look-up, polled every 20 ms. */
    String progressSql();

    /** Writes a backlog of {@code size} (rows or transactions, see {@link #backlogProperty()}) while both systems are stopped. */
    Load backlog(Setup s, long size, int round) throws Exception;

    /** Writes at {@code rate} (rows/s or transactions/s) for a warm-up and then the measured seconds. */
    Load steady(Setup s, int rate, int warmupSeconds, int seconds) throws Exception;

    /** The measured rows on the source: key, commit time (µs since the epoch, NULL if unknown). */
    String sourceCommitsSql();

    /** The same rows on a target: key, xmin, and pg_xact_commit_timestamp(xmin) in µs. */
    String targetRowsSql();

    /** Fails loudly unless the Helios target (and with {@code withNative} the native one) hold what the source holds. */
    void verify(Setup s, boolean withNative);

    /** Ends what the workload keeps open between loads (client connections). */
    @Override
    default void close() {
    }

    static Workload named(String name) {
        return switch (name) {
            case "insert" -> new InsertWorkload();
            case "oltp", "oltp-mixed" -> new OltpWorkload(name.equals("oltp-mixed"), Integer.getInteger("clients", 4),
                    Integer.getInteger("accounts", 100_000));
            default -> throw new IllegalArgumentException("unknown workload " + name + " (insert, oltp, oltp-mixed)");
        };
    }
}
