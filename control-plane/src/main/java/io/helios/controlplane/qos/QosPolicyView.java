package io.helios.controlplane.qos;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A QoS policy as the API shows it. */
@Schema(description = "A quality-of-service policy")
public record QosPolicyView(UUID id, String name, QosTier tier, long maxLagMs, Compression compression, int priority,
                            Instant createdAt) {

    static QosPolicyView of(QosPolicy p) {
        return new QosPolicyView(p.id(), p.name(), p.tier(), p.maxLagMs(), p.compression(), p.priority(), p.createdAt());
    }
}
