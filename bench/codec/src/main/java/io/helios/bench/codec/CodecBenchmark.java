package io.helios.bench.codec;

import com.github.luben.zstd.Zstd;
import io.helios.core.codec.BatchCodec;
import io.helios.core.codec.ChangeBatch;
import io.helios.core.codec.CodecOptions;
import io.helios.core.codec.CompressionLevel;
import io.helios.core.codec.Keyring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Single-threaded time per batch: the codec's encode (columnar + zstd + AES-GCM) and decode,
 * and zstd over the same rows as row-wise Debezium JSON at the same level.
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

    @Benchmark
    public byte[] encode() {
        return codec.encode(batch);
    }

    @Benchmark
    public ChangeBatch decode() {
        return codec.decode(encoded);
    }

    @Benchmark
    public byte[] jsonZstd() {
        return Zstd.compress(json, LEVEL.zstdLevel());
    }
}
