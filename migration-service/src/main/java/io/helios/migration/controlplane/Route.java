package io.helios.migration.controlplane;

import java.util.UUID;

/** Where the control plane's directory says a tenant is served, and the routing epoch of that answer. */
public record Route(String tenantId, UUID primaryEndpointId, String endpointName, String region, long routingEpoch) {
}
