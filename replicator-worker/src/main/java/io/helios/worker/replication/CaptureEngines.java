package io.helios.worker.replication;

import io.helios.core.capture.CaptureEngine;
import io.helios.core.capture.CaptureLimits;
import io.helios.core.spill.SpillDirectory;
import io.helios.debezium.DebeziumCaptureEngine;
import io.helios.pgoutput.PgOutputCaptureEngine;
import io.helios.postgres.PgEndpoint;
import io.helios.worker.config.WorkerProperties;

/**
 * Engine choice: opens the capture engine that reads one replication's slot, the one
 * {@code helios.capture.engine} names. The only place in the worker that knows the engines'
 * classes; a runner asks it for a fresh engine on every attempt. Implementations are stateless
 * and thread-safe; each engine they open belongs to its caller, who closes it.
 */
@FunctionalInterface
interface CaptureEngines {

    /** A new, not yet started engine on {@code slot} and {@code publication} of {@code source}. */
    CaptureEngine open(PgEndpoint source, String slot, String publication);

    /**
     * The engine {@code kind}, holding at most what {@code limits} allow in memory. Prepares the
     * spill directory now, at the worker's start: the files a crashed worker left there are deleted.
     */
    static CaptureEngines of(WorkerProperties.Engine kind, CaptureLimits limits) {
        SpillDirectory.at(limits.spillDirectory());
        return switch (kind) {
            case PGOUTPUT -> (source, slot, publication) -> new PgOutputCaptureEngine(source, slot, publication, limits);
            case DEBEZIUM -> (source, slot, publication) -> new DebeziumCaptureEngine(source, slot, publication, limits);
        };
    }
}
