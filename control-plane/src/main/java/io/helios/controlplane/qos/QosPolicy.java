package io.helios.controlplane.qos;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;

import java.time.Instant;
import java.util.UUID;

/** A named quality-of-service policy replications refer to. */
public record QosPolicy(@Id UUID id, String name, QosTier tier, long maxLagMs, Compression compression, int priority,
                        Instant createdAt, @Version Long version) {

    public QosPolicy withVersion(Long newVersion) {
        return new QosPolicy(id, name, tier, maxLagMs, compression, priority, createdAt, newVersion);
    }
}
