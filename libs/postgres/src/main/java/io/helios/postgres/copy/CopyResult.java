package io.helios.postgres.copy;

/** What an initial copy brought across. */
public record CopyResult(int tables, long rows) {
}
