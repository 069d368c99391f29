package io.helios.bench.codec;

import com.github.luben.zstd.Zstd;
import io.helios.codec.BatchCodec;
import io.helios.codec.ChangeBatch;
import io.helios.codec.CodecOptions;
import io.helios.codec.CompressionLevel;
import io.helios.codec.Keyring;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Single-threaded time per batch: the codec's encode (columnar + zstd + AES-GCM) and decode,
 * and zstd over the same rows as row-wise Debezium JSON at the same level. Besides wall-clock
 * time, each call's thread CPU time is counted ({@link Cpu}): on a shared machine the CPU time
 * is what "per core" means, the wall clock also counts the time other processes held the core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CodecBenchmark {

    static final CompressionLevel LEVEL = CompressionLevel.MEDIUM;

    @Param({"orders", "events", "saas"})
    public String dataset;

    @Param({"1000", "10000"})
    public int rows;

    ChangeBatch batch;
    BatchCodec codec;
    byte[] encoded;
    byte[] json;

    @Setup(Level.Trial)
    public void setUp() {
        batch = Datasets.generate(dataset, rows);
        codec = codec();
        encoded = codec.encode(batch);
        json = DebeziumJson.write(batch);
    }

    static BatchCodec codec() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        return new BatchCodec(Keyring.of("bench", key), CodecOptions.defaults().withLevel(LEVEL));
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds and calls per iteration, reported by JMH as secondary results. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        public long cpuNanos;
        public long calls;

        @Setup(Level.Iteration)
        public void clear() {
            cpuNanos = 0;
            calls = 0;
        }

        long start() {
            return THREADS.getCurrentThreadCpuTime();
        }

        void stop(long start) {
            cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
            calls++;
        }
    }

    @Benchmark
    public byte[] encode(Cpu cpu) {
        long t = cpu.start();
        byte[] out = codec.encode(batch);
        cpu.stop(t);
        return out;
    }

    @Benchmark
    public ChangeBatch decode(Cpu cpu) {
        long t = cpu.start();
        ChangeBatch out = codec.decode(encoded);
        cpu.stop(t);
        return out;
    }

    @Benchmark
    public byte[] jsonZstd(Cpu cpu) {
        long t = cpu.start();
        byte[] out = Zstd.compress(json, LEVEL.zstdLevel());
        cpu.stop(t);
        return out;
    }
}
