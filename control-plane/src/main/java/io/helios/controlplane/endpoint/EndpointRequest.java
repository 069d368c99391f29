package io.helios.controlplane.endpoint;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an operator sends to register or change an endpoint. The password is write-only: it
 * is sealed at once and never returned; {@link #toString()} leaves it out.
 */
@Schema(description = "A PostgreSQL database to replicate from or to")
public record EndpointRequest(
        @Schema(description = "Unique name", example = "eu-west-orders")
        @NotBlank @Size(max = 100) String name,
        @Schema(description = "Region label", example = "eu-west-1")
        @NotBlank @Size(max = 100) String region,
        @Schema(description = "JDBC URL of one host. Only these driver parameters may ride in it: sslmode, sslrootcert, "
                + "channelBinding, gssEncMode, connectTimeout, loginTimeout, socketTimeout, tcpKeepAlive, targetServerType "
                + "(others, such as password, sslpassword, socketFactory or options, are refused with 400). "
                + "Changing host, port, database or user requires the password again.",
                example = "jdbc:postgresql://db.eu:5432/orders?sslmode=require")
        @NotBlank @Pattern(regexp = "jdbc:postgresql://.+", message = "must start with jdbc:postgresql://")
        @Size(max = 2000) String jdbcUrl,
        @Schema(description = "Database user", example = "helios")
        @NotBlank @Size(max = 63) String username,
        @Schema(description = "Password (write-only: stored encrypted, never returned). On update, omit it to keep the current one.",
                accessMode = Schema.AccessMode.WRITE_ONLY, format = "password")
        @Size(max = 1000) String password,
        @Schema(description = "The tenant the endpoint belongs to; absent = shared (a tenant uses it only when granted)",
                example = "acme")
        @Size(max = 63) String ownerTenantId) {

    @Override
    public String toString() {
        return "EndpointRequest[name=" + name + ", region=" + region + ", jdbcUrl=" + jdbcUrl + ", username=" + username
                + ", ownerTenantId=" + ownerTenantId + "]";
    }
}
