package io.helios.controlplane.audit;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** One recorded mutating request. */
@Schema(description = "An audit record: who did what to which resource, and how it ended")
public record AuditEvent(long id, Instant occurredAt,
                         @Schema(description = "The token's subject, or 'anonymous' when no valid token was shown")
                         String subject,
                         String method,
                         @Schema(description = "Request path without the query string") String path,
                         @Schema(description = "Resource collection, e.g. replications") String targetType,
                         String targetId, String tenantId,
                         @Schema(description = "HTTP status answered") int status) {
}
