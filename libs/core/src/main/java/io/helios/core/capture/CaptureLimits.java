package io.helios.core.capture;

/**
 * How much a capture engine holds in memory for one replication.
 *
 * @param bufferedTransactions most whole transactions waiting for the applier
 * @param bufferedBytes        about how many bytes of row data may wait for the applier (one larger
 *                             transaction still passes, alone); see {@link TransactionBuffer}
 * @param maxTransactionBytes  largest single source transaction, in estimated bytes of row data,
 *                             the engine assembles before handing it on: a larger one stops the
 *                             replication with {@link TransactionTooLargeException} instead of
 *                             exhausting the worker's memory (and every replication it runs)
 */
public record CaptureLimits(int bufferedTransactions, long bufferedBytes, long maxTransactionBytes) {

    public static final long DEFAULT_MAX_TRANSACTION_BYTES = 512L << 20;

    public CaptureLimits {
        if (bufferedTransactions < 1 || bufferedBytes < 1 || maxTransactionBytes < 1) {
            throw new IllegalArgumentException("capture limits must be at least 1: " + bufferedTransactions + " transactions, "
                    + bufferedBytes + " buffered bytes, " + maxTransactionBytes + " bytes per transaction");
        }
    }

    /** The given transaction bound with the default byte bounds. */
    public static CaptureLimits transactions(int bufferedTransactions) {
        return new CaptureLimits(bufferedTransactions, TransactionBuffer.DEFAULT_MAX_BYTES, DEFAULT_MAX_TRANSACTION_BYTES);
    }
}
