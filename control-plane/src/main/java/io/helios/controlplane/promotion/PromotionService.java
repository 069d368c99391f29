package io.helios.controlplane.promotion;

import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationLifecycle;
import io.helios.service.web.ApiException;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.checkpoint.Checkpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.checkpoint.StaleLeaseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Promotion of a replication's target for a failover: the lease is revoked and the replication
 * stopped (committed first, so no worker is granted it again), then the target's checkpoint row is
 * claimed at the new epoch, which fences any worker still applying under an older one (its apply
 * transaction updates no checkpoint row and rolls back), and its LSN is the last applied position.
 * The source is never contacted: it may be dead, and its slot keeps the writes that did not make it.
 * Blocking; bounded by the connect timeout of the target.
 */
@Service
class PromotionService {

    private static final Logger log = LoggerFactory.getLogger(PromotionService.class);

    private final ReplicationLifecycle lifecycle;
    private final EndpointService endpoints;

    PromotionService(ReplicationLifecycle lifecycle, EndpointService endpoints) {
        this.lifecycle = lifecycle;
        this.endpoints = endpoints;
    }

    PromotionView promote(UUID id, String reason) {
        Replication r = lifecycle.stopForPromotion(id);
        String lsn = fenceTarget(r);
        log.info("replication {} of tenant {} promoted at lease epoch {}, target holds {} ({})", id, r.tenantId(),
                r.leaseEpoch(), lsn == null ? "no applied position" : lsn, reason == null ? "no reason given" : reason);
        return new PromotionView(id, r.tenantId(), r.sourceEndpointId(), r.targetEndpointId(), r.leaseEpoch(), lsn, r.state());
    }

    private String fenceTarget(Replication r) {
        PgEndpoint target = endpoints.connectionOf(r.targetEndpointId());
        try (Connection c = target.open()) {
            Checkpoints.installSchema(c);
            Optional<Checkpoint> cp = Checkpoints.claim(c, r.id().toString(), r.leaseEpoch());
            return cp.map(Checkpoint::lsn).map(Object::toString).orElse(null);
        } catch (StaleLeaseException e) {
            // a newer epoch than ours holds the row: only another promotion can have done that since
            throw ApiException.conflict("stale-promotion", "Promoted again meanwhile",
                    "replication " + r.id() + " was promoted again concurrently; read it and retry");
        } catch (SQLException e) {
            log.debug("replication {}: fencing the target's checkpoint failed: {}", r.id(), e.getMessage());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "target-unavailable", "Target unavailable",
                    "the replication is stopped and its lease revoked, but its target's checkpoint could not be read ("
                            + e.getMessage() + "); repeat the request once the target answers");
        }
    }
}
