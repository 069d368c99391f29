package io.helios.controlplane.alerts;

import java.time.Instant;

/**
 * Something an operator must hear about, published in-process and sent to the broker's
 * {@value AlertsAmqpConfiguration#EXCHANGE} topic exchange with routing key {@link #type()}.
 * Implementations are past-tense records.
 */
public sealed interface Alert permits WalRetentionExceeded, SlotDropped, ReplicationWentStale {

    /** The record's simple name: the routing key and the {@code type} field of the JSON message. */
    default String type() {
        return getClass().getSimpleName();
    }

    Instant occurredAt();
}
