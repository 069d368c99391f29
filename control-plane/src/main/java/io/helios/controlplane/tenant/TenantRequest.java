package io.helios.controlplane.tenant;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** What an operator sends to declare or change a tenant. */
@Schema(description = "A tenant")
public record TenantRequest(
        @Schema(description = "Operator-chosen slug: letters, digits, _, . and -, starting with a letter or digit, at most 63 (ignored on update)",
                example = "acme")
        @Size(max = 63) String id,
        @Schema(description = "Display name", example = "ACME Corp.")
        @NotBlank @Size(max = 200) String name,
        @Schema(description = "The endpoint currently serving the tenant; defaults to the source of its replication")
        UUID primaryEndpointId) {
}
