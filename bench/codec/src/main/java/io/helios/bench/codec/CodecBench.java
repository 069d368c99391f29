package io.helios.bench.codec;

import com.github.luben.zstd.Zstd;
import io.helios.codec.BatchCodec;
import io.helios.codec.ChangeBatch;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run codec}: sizes of the three data sets as codec output, row-wise JSON and
 * zstd-compressed row-wise JSON, then JMH timings, then one line per data set at 10,000 rows:
 * {@code codec <dataset>: vs-raw X.X vs-zstd Y.Y encode-MB/s E decode-MB/s D}. Sizes are ratios
 * (JSON bytes / codec bytes); MB/s are megabytes (10^6) of uncompressed JSON per CPU-second of
 * the one benchmark thread (thread CPU time per call, so other load on the machine does not
 * count; wall-clock figures are printed beside them). System properties: {@code -Dwarmup=3 -Diterations=4 -Dseconds=1 -Dforks=1}.
 */
public final class CodecBench {

    private CodecBench() {
    }

    public static void main(String[] args) throws RunnerException {
        Map<String, long[]> sizes = new HashMap<>();
        System.out.println("data set    rows    raw JSON   zstd JSON      codec   vs-raw  vs-zstd");
        for (String name : Datasets.NAMES) {
            for (int rows : new int[]{1000, 10_000}) {
                ChangeBatch batch = Datasets.generate(name, rows);
                BatchCodec codec = CodecBenchmark.codec();
                byte[] encoded = codec.encode(batch);
                if (!codec.decode(encoded).equals(batch)) {
                    throw new IllegalStateException(name + " does not round-trip");
                }
                byte[] json = DebeziumJson.write(batch);
                long zstd = Zstd.compress(json, CodecBenchmark.LEVEL.zstdLevel()).length;
                sizes.put(name + "/" + rows, new long[]{json.length, zstd, encoded.length});
                System.out.printf(Locale.ROOT, "%-8s %7d %11d %11d %10d %8.1f %8.1f%n", name, rows, json.length, zstd,
                        encoded.length, (double) json.length / encoded.length, (double) zstd / encoded.length);
            }
        }
        Options opts = new OptionsBuilder()
                .include(CodecBenchmark.class.getName())
                .forks(Integer.getInteger("forks", 1))
                .warmupIterations(Integer.getInteger("warmup", 3))
                .warmupTime(TimeValue.seconds(Integer.getInteger("seconds", 1)))
                .measurementIterations(Integer.getInteger("iterations", 4))
                .measurementTime(TimeValue.seconds(Integer.getInteger("seconds", 1)))
                .threads(1)
                .jvmArgsAppend("-XX:+UseParallelGC", "-Xmx2g")
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> wallMs = new HashMap<>();
        Map<String, Double> cpuMs = new HashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String key = bench.substring(bench.lastIndexOf('.') + 1) + "/" + r.getParams().getParam("dataset") + "/"
                    + r.getParams().getParam("rows");
            wallMs.put(key, r.getPrimaryResult().getScore());
            Result<?> cpu = r.getSecondaryResults().get("cpuNanos");
            Result<?> calls = r.getSecondaryResults().get("calls");
            if (cpu != null && calls != null && calls.getScore() > 0) {
                cpuMs.put(key, cpu.getScore() / calls.getScore() / 1e6);
            }
        }
        System.out.println();
        System.out.println("MB/s of uncompressed JSON on one thread, per CPU-second (and per wall-clock second);");
        System.out.println("zstd-json: zstd over the JSON itself, for scale:");
        for (String name : Datasets.NAMES) {
            for (int rows : new int[]{1000, 10_000}) {
                long json = sizes.get(name + "/" + rows)[0];
                String k = name + "/" + rows;
                System.out.printf(Locale.ROOT, "%-8s %7d  encode %7.0f (%4.0f)  decode %7.0f (%4.0f)  zstd-json %7.0f (%4.0f)%n",
                        name, rows, mbps(json, cpuMs.get("encode/" + k)), mbps(json, wallMs.get("encode/" + k)),
                        mbps(json, cpuMs.get("decode/" + k)), mbps(json, wallMs.get("decode/" + k)),
                        mbps(json, cpuMs.get("jsonZstd/" + k)), mbps(json, wallMs.get("jsonZstd/" + k)));
            }
        }
        for (String name : Datasets.NAMES) {
            long[] s = sizes.get(name + "/10000");
            System.out.printf(Locale.ROOT, "codec %s: vs-raw %.1f vs-zstd %.1f encode-MB/s %.0f decode-MB/s %.0f%n", name,
                    (double) s[0] / s[2], (double) s[1] / s[2], mbps(s[0], cpuMs.get("encode/" + name + "/10000")),
                    mbps(s[0], cpuMs.get("decode/" + name + "/10000")));
        }
    }

    private static double mbps(long bytes, Double ms) {
        return ms == null ? Double.NaN : bytes / 1e6 / (ms / 1000.0);
    }
}
