package io.helios.controlplane.qos;

/** Service tiers, from cheapest to strictest; the tier sets the batch size handed to workers. */
public enum QosTier {
    BEST_EFFORT(20_000),
    STANDARD(5_000),
    PREMIUM(1_000),
    SYNCHRONOUS(200);

    private final int maxBatchRows;

    QosTier(int maxBatchRows) {
        this.maxBatchRows = maxBatchRows;
    }

    public int maxBatchRows() {
        return maxBatchRows;
    }
}
