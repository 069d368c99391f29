package io.helios.bench.replication;

/**
 * What a workload wrote: the value its progress probe reaches on a target once everything is
 * applied ({@code goal}), the source transactions and row changes, and for a steady load the
 * measured window (after the warm-up) in microseconds since the epoch; {@code what} describes a
 * backlog in the round lines.
 */
record Load(long goal, long transactions, long rowChanges, long windowStartMicros, long windowEndMicros, String what) {

    double windowSeconds() {
        return (windowEndMicros - windowStartMicros) / 1e6;
    }
}
