package io.helios.worker.replication;

import io.helios.core.lease.ReplicationSpec;
import io.helios.worker.config.WorkerProperties;

import java.time.Duration;

/**
 * How large one group of source transactions (one target transaction) may grow. A source
 * transaction is never split, so one larger than a bound still makes a group alone.
 *
 * @param maxTransactions most source transactions in a group
 * @param maxRows         most rows in a group: the worker's {@code helios.apply.max-rows}, or the
 *                        replication's QoS tier bound when that is smaller
 * @param maxBytes        most estimated bytes of row data in a group
 * @param lagBudget       how long a group keeps taking transactions that keep arriving, from when
 *                        its first one was taken
 */
record GroupLimits(int maxTransactions, long maxRows, long maxBytes, Duration lagBudget) {

    /**
     * The worker's bounds narrowed by the replication's tier: a stricter tier (smaller batches,
     * shorter target transactions) must win over the worker's general default. A spec without a
     * tier bound (zero or negative, e.g. from a control plane that does not send one) leaves the
     * worker's bound alone.
     */
    static GroupLimits of(WorkerProperties.Apply apply, ReplicationSpec spec) {
        long maxRows = apply.maxRows();
        if (spec.maxBatchRows() > 0) {
            maxRows = Math.min(maxRows, spec.maxBatchRows());
        }
        return new GroupLimits(apply.maxTransactions(), maxRows, apply.maxGroupBytes().toBytes(),
                apply.groupLagBudget());
    }
}
