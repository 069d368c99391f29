package io.helios.controlplane.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's primary moved (routing epoch grew): published on the topic exchange
 * {@value AmqpConfiguration#EVENTS} with routing key {@value #ROUTING_KEY} after the move committed.
 */
public record RouteChanged(String tenantId, UUID primaryEndpointId, String region, long routingEpoch,
                           UUID previousEndpointId, String reason, Instant at) {

    public static final String ROUTING_KEY = "tenant.route.changed";
}
