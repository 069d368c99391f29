package io.helios.bench.replication;

import java.time.Instant;

/** The wall clock in microseconds since the epoch, the unit commit timestamps are compared in (one host, one clock). */
final class Clock {

    private Clock() {
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
