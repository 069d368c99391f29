package io.helios.failover.failover;

import io.helios.failover.decision.Check;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.UUID;

/** What a manual failover would do, and why or why not. */
@Schema(description = "The answer to a dry run: whether the failover would proceed, and each condition")
public record DryRunView(String tenantId, UUID replicationId, UUID fromEndpointId, UUID toEndpointId,
                         boolean wouldFailOver, String summary, List<Check> checks) {
}
