package io.helios.failover.window;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/** A time span in which no tenant ({@code tenantId} null) or one tenant is failed over automatically. */
@Table("maintenance_window")
public record MaintenanceWindow(@Id UUID id, String tenantId, Instant startsAt, Instant endsAt, String reason,
                                Instant createdAt, @Version Long version) {

    public boolean covers(String tenant, Instant at) {
        return (tenantId == null || tenantId.equals(tenant)) && !at.isBefore(startsAt) && at.isBefore(endsAt);
    }
}
