package io.helios.core.capture;

/**
 * No longer thrown by the capture engines, which spill large transactions to disk instead
 * ({@link SpillingChangeBuffer}); kept for callers that classify it. A source transaction grew past {@link CaptureLimits#maxTransactionBytes()} while it was being
 * assembled. Not retriable: the same transaction would arrive again. Nothing of it was applied.
 */
public final class TransactionTooLargeException extends CaptureException {

    private static final long serialVersionUID = 1L;

    public TransactionTooLargeException(long xid, long limitBytes) {
        super("source transaction " + xid + " holds more than " + size(limitBytes) + " of row data"
                + " (helios.apply.max-transaction-bytes): the replication stops rather than exhaust the worker's memory;"
                + " nothing of the transaction was applied. Raise the limit (and the worker's memory) and resume", null, false);
    }

    private static String size(long bytes) {
        return bytes >= 1L << 20 ? (bytes >> 20) + " MB" : bytes >= 1024 ? (bytes >> 10) + " KB" : bytes + " bytes";
    }
}
