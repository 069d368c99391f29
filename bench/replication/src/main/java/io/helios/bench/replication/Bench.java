package io.helios.bench.replication;

import io.helios.stack.Stack;
import io.helios.testsupport.Broker;
import io.helios.testsupport.PostgresCluster;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import java.time.Duration;
import java.util.Map;

/**
 * {@code bench/run throughput|lag|copy}: measures Helios against PostgreSQL native logical
 * replication on two fresh local clusters, in the same run, and prints its figures as the last
 * lines. Options are system properties (README, "Benchmarks"): {@code -Dworkload=insert|oltp|oltp-mixed};
 * throughput {@code -Drows=200000} (insert) or {@code -Dtransactions=100000} (oltp),
 * {@code -Drounds=5}, {@code -Dwarmup=1}; lag {@code -Drate=} (5000 rows/s insert, 1500 tx/s
 * oltp), {@code -Dseconds=60}, {@code -Dwarmup.seconds=} (0 insert, 10 oltp),
 * {@code -Dnative=true}; oltp {@code -Dclients=4}, {@code -Daccounts=100000}; both
 * {@code -Dnative.binary=false}, {@code -Dwait.limit.seconds=1200}; copy {@code -Drows=1000000},
 * {@code -Drounds=3}, {@code -Dcopy.parallelism=} (the worker's setting). {@code bench/run failover}: see
 * {@link FailoverBench} ({@code -Dtrials=10 -Drate=1000 -Dclients=4 -Dload.seconds=3}). {@code bench/run
 * migration}: see {@link MigrationBench} ({@code -Drows=1000000 -Dtables=4 -Dmoves=10 -Dpoll.timeout=20ms}).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        String mode = args.length == 0 ? "throughput" : args[0];
        try {
            if (mode.equals("failover")) {
                FailoverBench.run(Integer.getInteger("trials", 10), Integer.getInteger("rate", 1000),
                        Integer.getInteger("load.seconds", 3));
                quietLogs();
                System.exit(0);
            }
            run(mode, Workload.named(System.getProperty("workload", "insert")));
        } catch (Exception e) {
            System.out.flush();
            System.err.println("benchmark failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** Keeps the figures the last lines: the services log their orderly stop at INFO. */
    private static void quietLogs() {
        LoggingSystem logging = LoggingSystem.get(Bench.class.getClassLoader());
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        // loggers the services' configuration sets a level for keep it unless set themselves
        logging.getLoggerConfigurations().stream()
                .filter(c -> c.getConfiguredLevel() != null && c.getConfiguredLevel().ordinal() < LogLevel.WARN.ordinal())
                .forEach(c -> logging.setLogLevel(c.getName(), LogLevel.WARN));
    }

    private static void run(String mode, Workload w) throws Exception {
        Duration waitLimit = Duration.ofSeconds(Long.getLong("wait.limit.seconds", 1200));
        try (PostgresCluster source = BenchCluster.start("source"); PostgresCluster target = BenchCluster.start("target"); w) {
            target.createDatabase("helios");
            target.createDatabase(Setup.HELIOS_DB);
            target.createDatabase(Setup.NATIVE_DB);
            try (Stack stack = Stack.start(new Stack.Options(target.jdbcUrl("helios"), target.user(), target.password(),
                    0, Broker.answers(), 15, Map.of()))) {
                String parallelism = System.getProperty("copy.parallelism");
                var worker = parallelism == null ? stack.startWorker("bench-worker", 0)
                        : stack.startWorker("bench-worker", 0, "--helios.apply.copy-parallelism=" + parallelism);
                Setup s = new Setup(source, target, stack.api(), waitLimit);
                switch (mode) {
                    case "throughput" -> Throughput.run(s, w, worker.getBean(MeterRegistry.class),
                            Long.getLong(w.backlogProperty(), w.defaultBacklog()),
                            Integer.getInteger("rounds", 5), Integer.getInteger("warmup", 1));
                    case "migration" -> {
                        // the applier records an idle position after poll-timeout: it bounds the cutover's wait
                        stack.stopWorker(worker);
                        stack.startWorker("bench-migration-worker", 0, "--helios.apply.poll-timeout=" + System.getProperty(
                                "poll.timeout", "20ms"));
                        MigrationBench.run(source, target, stack, s, Long.getLong("rows", 1_000_000),
                                Integer.getInteger("tables", 4), Integer.getInteger("moves", 10));
                    }
                    case "lag" -> LagBench.run(s, w, Integer.getInteger("rate", w.defaultRate()),
                            Integer.getInteger("warmup.seconds", w.defaultWarmupSeconds()), Integer.getInteger("seconds", 60),
                            Boolean.parseBoolean(System.getProperty("native", "true")));
                    case "copy" -> CopyBench.run(s, Long.getLong("rows", 1_000_000), Integer.getInteger("rounds", 3),
                            Integer.getInteger("warmup", 1));
                    default -> throw new IllegalArgumentException("unknown benchmark " + mode + " (throughput, lag, copy,"
                            + " failover, migration)");
                }
                quietLogs();
            }
        }
    }
}
