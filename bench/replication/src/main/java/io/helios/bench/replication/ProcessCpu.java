package io.helios.bench.replication;

import io.helios.testsupport.PostgresCluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * CPU seconds of the processes taking part in a catch-up, so the benchmark can say where the
 * time went on a machine whose cores all the parts share. Backends are read from
 * {@code /proc/<pid>/stat} (the clusters are local); on a system without {@code /proc} the
 * figures are NaN and the benchmark still runs.
 */
final class ProcessCpu {

    static final String WALSENDERS = "SELECT pid FROM pg_stat_replication";
    /** USER_HZ: Linux reports process times in ticks of 1/100 s on every architecture it runs the JVM on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** CPU seconds this JVM has used so far, all threads. */
    static double self() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /**
     * CPU seconds per live thread of this JVM, by name with digits folded: read from
     * {@code /proc/self/task} so the JVM's own threads (JIT compilers, GC) count too, under the
     * 15-character names the kernel keeps; from the thread MXBean (Java threads only) elsewhere.
     */
    static java.util.Map<String, Double> threads() {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    out.merge(fold(name), seconds, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while listed
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            out.clear();
        }
        var mx = ManagementFactory.getThreadMXBean();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(info.getThreadId());
            if (ns > 0) {
                out.merge(fold(info.getThreadName()), ns / 1e9, Double::sum);
            }
        }
        return out;
    }

    private static String fold(String threadName) {
        return threadName.replaceAll("[0-9a-f]{6,}", "*").replaceAll("\\d+", "N");
    }

    static String delta(java.util.Map<String, Double> before, java.util.Map<String, Double> after) {
        StringBuilder sb = new StringBuilder();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d > 0.02) {
                sb.append(k).append('=').append(String.format(Locale.ROOT, "%.2f", d)).append(' ');
            }
        });
        return sb.toString();
    }

    /** CPU seconds used over their lifetimes by the backends the query lists. */
    static double lifetime(PostgresCluster cluster, String db, String pidQuery) {
        double total = 0;
        try (Connection c = cluster.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(pidQuery)) {
            while (rs.next()) {
                total += of(rs.getLong(1));
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return total;
    }

    static double of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** "name1 1.2, name2 3.4, total 4.6" from name/seconds pairs. */
    static String describe(Object... pairs) {
        StringBuilder out = new StringBuilder();
        double total = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            double v = (Double) pairs[i + 1];
            total += v;
            out.append(pairs[i]).append(' ').append(String.format(Locale.ROOT, "%.1f", v)).append(", ");
        }
        return out.append(String.format(Locale.ROOT, "total %.1f", total)).toString();
    }
}
