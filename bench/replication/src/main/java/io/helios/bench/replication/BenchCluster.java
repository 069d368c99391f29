package io.helios.bench.replication;

import io.helios.testsupport.EmbeddedCluster;
import io.helios.testsupport.PostgresCluster;

import java.nio.file.Files;
import java.nio.file.Path;

/** Starts the two fresh local clusters a benchmark runs on (source region and target region). */
final class BenchCluster {

    private BenchCluster() {
    }

    static PostgresCluster start(String name) throws Exception {
        Path dir = Files.createTempDirectory("helios-bench-" + name);
        // durable, as in production: commits wait for the WAL to reach the disk
        return EmbeddedCluster.start(dir, 0, true, java.util.Map.of("fsync", "on"));
    }
}
