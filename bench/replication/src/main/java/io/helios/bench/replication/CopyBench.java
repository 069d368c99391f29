package io.helios.bench.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code bench/run copy}: the initial copy of a tenant (schema {@code acme}: an orders-shaped
 * table, its items, customers and a small settings table, {@code -Drows} rows in all, default
 * 1,000,000) by Helios (a SCHEMA replication started until it streams) against PostgreSQL's own
 * initial sync (a subscription with {@code copy_data = true} until every table is ready), on the
 * same two clusters, in the same run, timed the same way (from the command that starts it to the
 * first poll that sees it done, polled every 20 ms). Each round starts both from empty targets;
 * the order alternates between rounds. Both targets are checked against the source by checksum.
 * The first {@code -Dwarmup} rounds (default 1) are printed but not counted: a worker runs for
 * days, and only the JVM spends its first seconds compiling its hot paths.
 * Helios' sessions are the worker's {@code helios.apply.copy-parallelism} ({@code -Dcopy.parallelism},
 * default the worker's own); native's are PostgreSQL's {@code max_sync_workers_per_subscription}
 * (default 2).
 */
final class CopyBench {

    private static final String[] TABLES = {"acme.orders", "acme.order_items", "acme.customers", "acme.settings"};

    private CopyBench() {
    }

    static void run(Setup s, long rows, int rounds, int warmUps) {
        load(s, rows);
        long total = 0;
        for (String t : TABLES) {
            total += Sql.count(s.source(), Setup.SOURCE_DB, "SELECT count(*) FROM " + t);
        }
        String size = Sql.text(s.source(), Setup.SOURCE_DB,
                "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c"
                        + " WHERE c.relnamespace = 'acme'::regnamespace AND c.relkind = 'r'");
        System.out.printf(Locale.ROOT, "tenant acme: %d rows in %d tables, %s on the source%n", total, TABLES.length, size);
        String source = s.api().createEndpoint("copy-source", "region-a", s.source().jdbcUrl(Setup.SOURCE_DB),
                s.source().user(), s.source().password());
        String target = s.api().createEndpoint("copy-target", "region-b", s.target().jdbcUrl(Setup.HELIOS_DB),
                s.target().user(), s.target().password());
        s.api().createTenant("acme", "Copy benchmark tenant");
        List<Double> helios = new ArrayList<>();
        List<Double> nativeRates = new ArrayList<>();
        for (int round = 1; round <= warmUps + rounds; round++) {
            double h;
            double n;
            if (round % 2 == 1) {
                h = helios(s, source, target, total, round);
                n = nativeSync(s, total, round);
            } else {
                n = nativeSync(s, total, round);
                h = helios(s, source, target, total, round);
            }
            boolean warmUp = round <= warmUps;
            if (!warmUp) {
                helios.add(h);
                nativeRates.add(n);
            }
            System.out.printf(Locale.ROOT, "round %d%s: helios %.0f rows/s, native-sync %.0f rows/s; targets verified%n",
                    round, warmUp ? " (warm-up, not counted)" : "", h, n);
        }
        double h = Throughput.median(helios);
        double n = Throughput.median(nativeRates);
        System.out.println(String.format(Locale.ROOT, "copy helios rows/s: %.0f", h));
        System.out.println(String.format(Locale.ROOT, "copy native-sync rows/s: %.0f", n));
        System.out.println(String.format(Locale.ROOT, "copy ratio: %.2f", h / n));
    }

    /** The tenant: rows split 55 / 35 / 9.9 / 0.1 over orders, items, customers and settings. */
    private static void load(Setup s, long rows) {
        long orders = rows * 55 / 100;
        long items = rows * 35 / 100;
        long customers = Math.max(1, rows * 99 / 1000);
        long settings = Math.max(1, rows - orders - items - customers);
        Sql.exec(s.source(), Setup.SOURCE_DB, "CREATE SCHEMA acme",
                "CREATE TABLE acme.customers (id bigint PRIMARY KEY, name text NOT NULL, email text, created_at timestamptz NOT NULL)",
                "CREATE TABLE acme.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,"
                        + " total numeric(12,2) NOT NULL, note text, created_at timestamptz NOT NULL)",
                "CREATE INDEX ON acme.orders (customer_id)",
                "CREATE TABLE acme.order_items (order_id bigint NOT NULL, line int NOT NULL, sku text NOT NULL,"
                        + " quantity int NOT NULL, price numeric(10,2) NOT NULL, PRIMARY KEY (order_id, line))",
                "CREATE TABLE acme.settings (key text PRIMARY KEY, value jsonb)",
                "INSERT INTO acme.customers SELECT g, 'customer ' || g, 'c' || g || '@example.com', now() - g * interval '1 minute'"
                        + " FROM generate_series(1, " + customers + ") g",
                "INSERT INTO acme.orders SELECT g, 1 + g % " + customers + ", (ARRAY['new','paid','shipped'])[1 + g % 3],"
                        + " (g % 10000) / 100.0, CASE WHEN g % 4 = 0 THEN repeat('n', 40) END, now() - g * interval '1 second'"
                        + " FROM generate_series(1, " + orders + ") g",
                "INSERT INTO acme.order_items SELECT 1 + g / 3, g % 3, 'sku-' || (g % 5000), 1 + g % 7, (g % 900) / 10.0"
                        + " FROM generate_series(0, " + (items - 1) + ") g",
                "INSERT INTO acme.settings SELECT 'key ' || g, jsonb_build_object('g', g) FROM generate_series(1, " + settings + ") g",
                "VACUUM ANALYZE");
    }

    /** Starts a replication of acme and times it from the start to STREAMING; deletes it and its target schema after. */
    private static double helios(Setup s, String source, String target, long total, int round) {
        Sql.exec(s.target(), Setup.HELIOS_DB, "DROP SCHEMA IF EXISTS acme CASCADE");
        String id = s.api().createReplication(Map.of("tenantId", "acme", "sourceEndpointId", source,
                "targetEndpointId", target, "tenancyModel", "SCHEMA", "sourceSchema", "acme"));
        long start = System.nanoTime();
        s.api().action(id, "start");
        long nanos = until(start, () -> "STREAMING".equals(s.api().status(id).get("phase")),
                () -> "Helios copy of round " + round + ": " + s.api().status(id));
        for (String t : TABLES) {
            same(s, Setup.HELIOS_DB, t);
        }
        s.api().action(id, "stop");
        s.api().delete("/replications/" + id);
        return total / (nanos / 1e9);
    }

    /** Creates the tables and a copy_data subscription; times it until every table is ready; drops both after. */
    private static double nativeSync(Setup s, long total, int round) {
        Sql.exec(s.target(), Setup.NATIVE_DB, "DROP SCHEMA IF EXISTS acme CASCADE", "CREATE SCHEMA acme",
                "CREATE TABLE acme.customers (id bigint PRIMARY KEY, name text NOT NULL, email text, created_at timestamptz NOT NULL)",
                "CREATE TABLE acme.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,"
                        + " total numeric(12,2) NOT NULL, note text, created_at timestamptz NOT NULL)",
                "CREATE INDEX ON acme.orders (customer_id)",
                "CREATE TABLE acme.order_items (order_id bigint NOT NULL, line int NOT NULL, sku text NOT NULL,"
                        + " quantity int NOT NULL, price numeric(10,2) NOT NULL, PRIMARY KEY (order_id, line))",
                "CREATE TABLE acme.settings (key text PRIMARY KEY, value jsonb)");
        Sql.exec(s.source(), Setup.SOURCE_DB, "DROP PUBLICATION IF EXISTS " + Setup.PUBLICATION,
                "CREATE PUBLICATION " + Setup.PUBLICATION + " FOR TABLES IN SCHEMA acme");
        long start = System.nanoTime();
        Sql.exec(s.target(), Setup.NATIVE_DB, "CREATE SUBSCRIPTION " + Setup.SUBSCRIPTION + " CONNECTION 'host=127.0.0.1 port="
                + s.source().port() + " dbname=" + Setup.SOURCE_DB + " user=" + s.source().user() + " password="
                + s.source().password() + "' PUBLICATION " + Setup.PUBLICATION + " WITH (copy_data = true, binary = "
                + Boolean.getBoolean("native.binary") + ")");
        long nanos = until(start, () -> Sql.count(s.target(), Setup.NATIVE_DB,
                        "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate NOT IN ('r', 's')") == 0
                        && Sql.count(s.target(), Setup.NATIVE_DB, "SELECT count(*) FROM pg_subscription_rel") == TABLES.length,
                () -> "native initial sync of round " + round);
        for (String t : TABLES) {
            same(s, Setup.NATIVE_DB, t);
        }
        Sql.exec(s.target(), Setup.NATIVE_DB, "DROP SUBSCRIPTION " + Setup.SUBSCRIPTION);
        Sql.exec(s.source(), Setup.SOURCE_DB, "DROP PUBLICATION " + Setup.PUBLICATION);
        return total / (nanos / 1e9);
    }

    private static void same(Setup s, String db, String table) {
        String expected = Sql.checksum(s.source(), Setup.SOURCE_DB, table + " t");
        String got = Sql.checksum(s.target(), db, table + " t");
        if (!expected.equals(got)) {
            throw new IllegalStateException(db + " differs from the source in " + table + ": source " + expected + ", " + got);
        }
    }

    /** Nanoseconds from {@code start} until {@code done}, polled every 20 ms, bounded by the setup limit. */
    private static long until(long start, BooleanSupplier done, java.util.function.Supplier<String> what) {
        long deadline = start + Setup.SETUP_LIMIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what.get() + ": not done within " + Setup.SETUP_LIMIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return System.nanoTime() - start;
    }
}
