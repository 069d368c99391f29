package io.helios.core.capture;

import io.helios.core.spill.SpillDirectory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How much a capture engine holds in memory for one replication.
 *
 * @param bufferedTransactions most whole transactions waiting for the applier
 * @param bufferedBytes        about how many bytes of row data may wait for the applier (one larger
 *                             transaction still passes, alone); see {@link TransactionBuffer}
 * @param maxTransactionBytes  largest single source transaction, in estimated bytes of row data,
 *                             the engine holds in memory while assembling it: a larger one spills
 *                             to a file in {@code spillDirectory} ({@link SpillingChangeBuffer}) and
 *                             is still delivered whole, so memory stays bounded
 * @param spillDirectory       where large transactions spill ({@link SpillDirectory})
 */
public record CaptureLimits(int bufferedTransactions, long bufferedBytes, long maxTransactionBytes, Path spillDirectory) {

    public static final long DEFAULT_MAX_TRANSACTION_BYTES = 64L << 20;

    public CaptureLimits {
        if (bufferedTransactions < 1 || bufferedBytes < 1 || maxTransactionBytes < 1) {
            throw new IllegalArgumentException("capture limits must be at least 1: " + bufferedTransactions + " transactions, "
                    + bufferedBytes + " buffered bytes, " + maxTransactionBytes + " bytes per transaction");
        }
        Objects.requireNonNull(spillDirectory, "spillDirectory");
    }

    /** The given bounds, spilling to the default directory. */
    public CaptureLimits(int bufferedTransactions, long bufferedBytes, long maxTransactionBytes) {
        this(bufferedTransactions, bufferedBytes, maxTransactionBytes, SpillDirectory.defaultRoot());
    }

    /** The given transaction bound with the default byte bounds. */
    public static CaptureLimits transactions(int bufferedTransactions) {
        return new CaptureLimits(bufferedTransactions, TransactionBuffer.DEFAULT_MAX_BYTES, DEFAULT_MAX_TRANSACTION_BYTES);
    }
}
