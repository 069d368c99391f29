package io.helios.bench.replication;

import io.helios.security.Role;
import io.helios.stack.HeliosApi;
import io.helios.stack.Stack;
import io.helios.testsupport.Broker;
import io.helios.testsupport.PostgresCluster;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bench/run failover}: a tenant under a continuous write load (each commit's acknowledgement
 * time recorded by the client) on a source cluster of its own, replicated to the target cluster and
 * watched by two failover-service observers with the default policy (threshold 5 s). Each trial
 * kills the source host (postmaster and every server process SIGKILLed), then measures
 * <ul>
 *   <li>RTO: kill -> first successful write on the new primary found through the routing directory;</li>
 *   <li>RPO: acknowledged commits missing on the new primary, in transactions and in ms of writes
 *       (the last acknowledgement minus that of the oldest missing commit);</li>
 * </ul>
 * then restarts the old primary, waits for its fence and quarantine, counts writes it still accepts
 * for the tenant (split brain) and compares the quarantined transactions with the missing ones.
 * Options: {@code -Dtrials=10}, {@code -Drate=1000} (tx/s, over {@code -Dclients=4} connections),
 * {@code -Dload.seconds=3} before the kill.
 */
final class FailoverBench {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    private FailoverBench() {
    }

    static void run(int trials, int rate, int loadSeconds) throws Exception {
        try (PostgresCluster source = BenchCluster.start("failover-source");
             PostgresCluster target = BenchCluster.start("failover-target")) {
            target.createDatabase("helios");
            target.createDatabase("helios_failover");
            try (Stack stack = Stack.start(new Stack.Options(target.jdbcUrl("helios"), target.user(), target.password(),
                    0, Broker.answers(), 15, Map.of()))) {
                stack.startWorker("bench-worker", 0);
                ConfigurableApplicationContext observer = stack.startFailoverService(target.jdbcUrl("helios_failover"),
                        "bench-observer-a", 0);
                stack.startFailoverService(target.jdbcUrl("helios_failover"), "bench-observer-b", 0);
                RestClient failover = RestClient.builder().baseUrl("http://127.0.0.1:" + Stack.port(observer))
                        .defaultHeaders(h -> h.setBearerAuth(stack.token(Role.ADMIN))).build();
                List<Trial> results = new ArrayList<>();
                for (int i = 1; i <= trials; i++) {
                    Trial t = trial(i, source, target, stack.api(), failover, rate, loadSeconds);
                    System.out.printf("trial %d: load %.0f tx/s, rto %d ms, rpo %d ms, lost tx %d, quarantined tx %d"
                            + " (exactly the rows missing on the new primary: %s), split-brain writes %d%n", i, t.txPerSecond,
                            t.rtoMs, t.rpoMs, t.lostTx, t.quarantinedTx, t.quarantineExact ? "yes" : "NO", t.splitBrainWrites);
                    results.add(t);
                }
                report(results, rate);
            }
        }
    }

    private static Trial trial(int i, PostgresCluster source, PostgresCluster target, HeliosApi api, RestClient failover,
                               int rate, int loadSeconds) throws Exception {
        String tenant = "bench-fo-" + i;
        String srcDb = source.createDatabase("fo_src_" + i);
        String tgtDb = target.createDatabase("fo_tgt_" + i);
        Sql.exec(source, srcDb, "CREATE SCHEMA app", "CREATE TABLE app.orders (id bigint PRIMARY KEY, note text NOT NULL)");
        api.createTenant(tenant, tenant);
        String from = api.createEndpoint(tenant + "-a", "region-a", source.jdbcUrl(srcDb), source.user(), source.password());
        String to = api.createEndpoint(tenant + "-b", "region-b", target.jdbcUrl(tgtDb), target.user(), target.password());
        String replication = api.createReplication(new HashMap<>(Map.of("tenantId", tenant, "sourceEndpointId", from,
                "targetEndpointId", to, "tenancyModel", "SCHEMA", "sourceSchema", "app")));
        api.action(replication, "start");
        Waits.condition(LIMIT, () -> "STREAMING".equals(api.status(replication).get("phase"))
                && api.status(replication).get("lastAppliedLsn") != null, () -> "replication of " + tenant + " not streaming");
        Waits.condition(LIMIT, () -> healthyObservers(failover, tenant) >= 2, () -> "observers do not see " + tenant);

        Map<Long, Long> acked = new ConcurrentHashMap<>();
        Thread writer = writer(source, srcDb, rate, acked);
        long loadUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(loadSeconds);
        Waits.condition(LIMIT, () -> System.nanoTime() > loadUntil, () -> "load");
        long killedAt = System.nanoTime();
        source.killPostmaster(true);
        writer.join(30_000);

        long rto = awaitFirstWrite(api, tenant, to, target, tgtDb, killedAt);
        Set<Long> onNew = ids(target.connect(tgtDb));
        long lost = 0;
        long oldestMissing = Long.MAX_VALUE;
        for (Map.Entry<Long, Long> e : acked.entrySet()) {
            if (!onNew.contains(e.getKey())) {
                lost++;
                oldestMissing = Math.min(oldestMissing, e.getValue());
            }
        }
        long lastAck = acked.values().stream().mapToLong(Long::longValue).max().orElse(killedAt);
        // ms of the acknowledged write stream the new primary does not have (one lost commit: ~0 ms)
        long rpoMs = lost == 0 ? 0 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(lastAck - oldestMissing));
        double achieved = acked.size() / (double) loadSeconds;

        source.restart();
        String id = failoverOf(failover, tenant);
        Waits.condition(LIMIT, () -> "QUARANTINED".equals(failover.get().uri("/api/v1/failovers/{id}", id).retrieve()
                .body(Map.class).get("state")), () -> "old primary of " + tenant + " not fenced and quarantined");
        int splitBrain = 0;
        try (Connection c = source.connect(srcDb); Statement s = c.createStatement()) {
            s.execute("INSERT INTO app.orders VALUES (-2, 'split brain?')");
            splitBrain++;
        } catch (SQLException refused) {
            // the fence: what must happen
        }
        List<?> quarantined = failover.get().uri("/api/v1/failovers/{id}/unreplicated", id).retrieve().body(List.class);
        // exact: the quarantined rows are the rows the old primary has and the new one lacks
        Set<Long> missing = ids(source.connect(srcDb));
        missing.removeAll(onNew);
        Set<Long> held = new HashSet<>();
        for (Object tx : quarantined) {
            for (Object change : (List<?>) ((Map<?, ?>) tx).get("changes")) {
                Object row = ((Map<?, ?>) change).get("new");
                if (row instanceof Map<?, ?> r) {
                    held.add(Long.parseLong(r.get("id").toString()));
                }
            }
        }
        boolean exact = held.equals(missing);
        source.dropDatabase(srcDb);
        return new Trial(rto, rpoMs, lost, quarantined.size(), splitBrain, achieved, exact);
    }

    /** {@code clients} writers, each paced to its share of {@code rate}, ids from one sequence; answers one to join. */
    private static Thread writer(PostgresCluster source, String db, int rate, Map<Long, Long> acked) {
        int clients = Integer.getInteger("clients", 4);
        java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                long every = TimeUnit.SECONDS.toNanos(1) * clients / Math.max(1, rate);
                long next = System.nanoTime();
                try (Connection conn = source.connect(db); Statement s = conn.createStatement()) {
                    while (true) {
                        long n = ids.incrementAndGet();
                        s.execute("INSERT INTO app.orders VALUES (" + n + ", 'load')");
                        acked.put(n, System.nanoTime());
                        next += every;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                } catch (SQLException e) {
                    // the source died
                }
            }, "failover-bench-writer-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        Thread all = new Thread(() -> threads.forEach(t -> {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "failover-bench-writers");
        all.setDaemon(true);
        all.start();
        return all;
    }

    /** Like a client: polls the routing directory and writes to whatever it names, until a write succeeds there. */
    private static long awaitFirstWrite(HeliosApi api, String tenant, String newPrimary, PostgresCluster target, String db,
                                        long killedAt) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> route = api.get("/tenants/" + tenant + "/route");
            if (newPrimary.equals(route.get("primaryEndpointId"))) {
                try (Connection c = DriverManager.getConnection((String) route.get("jdbcUrl"), target.user(), target.password());
                     Statement s = c.createStatement()) {
                    s.execute("INSERT INTO app.orders VALUES (-1, 'first write on the new primary')");
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                } catch (SQLException e) {
                    // not writable yet (fenced): poll again
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("no write succeeded on the new primary of " + tenant + " within " + LIMIT);
    }

    private static String failoverOf(RestClient failover, String tenant) {
        for (Object o : failover.get().uri("/api/v1/failovers").retrieve().body(List.class)) {
            Map<?, ?> f = (Map<?, ?>) o;
            if (tenant.equals(f.get("tenantId"))) {
                return (String) f.get("id");
            }
        }
        throw new IllegalStateException("no failover of " + tenant);
    }

    private static long healthyObservers(RestClient failover, String tenant) {
        long n = 0;
        for (Object o : failover.get().uri("/api/v1/failovers/health").retrieve().body(List.class)) {
            Map<?, ?> h = (Map<?, ?>) o;
            if (tenant.equals(h.get("tenantId"))) {
                for (Object obs : (List<?>) h.get("primary")) {
                    if (Boolean.TRUE.equals(((Map<?, ?>) obs).get("reachable"))) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static Set<Long> ids(Connection c) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM app.orders")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static void report(List<Trial> trials, int rate) {
        List<Double> rto = Stats.sorted(trials.stream().map(t -> (double) t.rtoMs).toList());
        long rpoMax = trials.stream().mapToLong(t -> t.rpoMs).max().orElse(0);
        long lostMax = trials.stream().mapToLong(t -> t.lostTx).max().orElse(0);
        long quarantined = trials.stream().mapToLong(t -> t.quarantinedTx).sum();
        long lost = trials.stream().mapToLong(t -> t.lostTx).sum();
        long splitBrain = trials.stream().mapToLong(t -> t.splitBrainWrites).sum();
        System.out.printf("failover trials: %d at %d tx/s, threshold 5000 ms (default policy), 2 observers%n", trials.size(), rate);
        System.out.printf("failover rto ms p50: %.0f p99: %.0f%n", Stats.percentile(rto, 0.5), Stats.percentile(rto, 0.99));
        System.out.printf("failover rpo ms max: %d lost tx max: %d quarantined tx: %d (lost tx: %d)%n", rpoMax, lostMax,
                quarantined, lost);
        System.out.printf("quarantine equals the missing rows in %d of %d trials%n",
                trials.stream().filter(Trial::quarantineExact).count(), trials.size());
        System.out.printf("split-brain writes: %d%n", splitBrain);
    }

    private record Trial(long rtoMs, long rpoMs, long lostTx, int quarantinedTx, int splitBrainWrites, double txPerSecond,
                         boolean quarantineExact) {
    }
}
