package io.helios.postgres.checkpoint;

/**
 * The target's WAL positions as one statement saw them: where the next record will be inserted,
 * and how far the WAL is on disk.
 */
public record TargetWal(long insert, long flush) {
}
