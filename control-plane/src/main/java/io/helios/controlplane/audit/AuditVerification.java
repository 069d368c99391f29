package io.helios.controlplane.audit;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer of {@code GET /api/v1/audit/verify}. */
@Schema(description = "Whether the audit hash chain is intact, or the first row where it breaks and why")
public record AuditVerification(
        @Schema(description = "true when every walked row matches its hash and links to the one before it, the chain"
                + " head and the newest signed checkpoint agree") boolean intact,
        @Schema(description = "Rows walked") long rows,
        @Schema(description = "Id of the newest row walked (0 when none)") long headId,
        @Schema(description = "Hex SHA-256 of the newest row walked") String headHash,
        @Schema(description = "false when the walk stopped at the limit before the chain head") boolean complete,
        @Schema(description = "Id of the first row found broken (or of the row a checkpoint names); null when intact")
        Long brokenRowId,
        @Schema(description = "Why the chain is broken; null when intact") String reason,
        @Schema(description = "Id of the newest signed checkpoint checked; null when there is none") Long checkpointId) {
}
