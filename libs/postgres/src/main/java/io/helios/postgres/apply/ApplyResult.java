package io.helios.postgres.apply;

import io.helios.core.change.Lsn;

import java.time.Instant;

/**
 * What one call of {@link TransactionApplier#apply} committed.
 *
 * @param transactions source transactions applied (those already on the target are not counted)
 * @param rows         row changes applied
 * @param lastEndLsn   the checkpoint now on the target, or null when nothing new was applied
 * @param rowsWritten  row writes the target performed for them: fewer than {@code rows} when the
 *                     group's changes to the same rows were reduced to their net effect
 */
public record ApplyResult(int transactions, long rows, Lsn lastEndLsn, Instant lastCommitTime, long rowsWritten) {
}
