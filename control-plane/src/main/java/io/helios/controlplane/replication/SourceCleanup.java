package io.helios.controlplane.replication;

import io.helios.controlplane.endpoint.EndpointService;
import io.helios.service.web.ApiException;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.checkpoint.Checkpoints;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.postgres.slot.ReplicationSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Removes what a replication leaves on its endpoints when it is stopped or deleted, in an order
 * that closes the race with a worker still bootstrapping: first the target's row of
 * {@code helios.replication_checkpoint} is fenced at the replication's (already bumped) lease
 * epoch and marked as needing a fresh copy, so no older worker can commit a copy or apply a
 * change any more and the next start copies afresh; then the slot and publication on the source
 * are dropped (ending a walsender that still holds the slot). A bootstrap that creates the slot
 * after that finds its claim gone and drops it again. Runs outside any control-plane
 * transaction; blocking, bounded by the connect timeout and {@link ReplicationSlots#drop}'s own wait.
 */
@Component
class SourceCleanup {

    private static final Logger log = LoggerFactory.getLogger(SourceCleanup.class);

    private final EndpointService endpoints;

    SourceCleanup(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    /** @param r the replication as it is after its lease was revoked (its epoch already bumped) */
    void clean(Replication r) {
        String id = r.id().toString();
        PgEndpoint target = endpoints.connectionOf(r.targetEndpointId());
        try (Connection c = target.open()) {
            c.setAutoCommit(true);
            Checkpoints.installSchema(c);
            Checkpoints.requireCopy(c, id, r.leaseEpoch());
            log.info("replication {}: target checkpoint fenced at epoch {}, a fresh copy is needed", id, r.leaseEpoch());
        } catch (SQLException e) {
            throw unavailable("target", r, e);
        }
        PgEndpoint source = endpoints.connectionOf(r.sourceEndpointId());
        try (Connection c = source.open()) {
            boolean dropped = ReplicationSlots.drop(c, ReplicationNames.slot(id));
            Publications.drop(c, ReplicationNames.publication(id));
            log.info("replication {}: source cleaned (slot dropped: {})", id, dropped);
        } catch (SQLException e) {
            throw unavailable("source", r, e);
        }
    }

    private static ApiException unavailable(String side, Replication r, SQLException e) {
        log.debug("replication {}: cleanup on the {} failed: {}", r.id(), side, e.getMessage());
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "cleanup-failed", "Cleanup incomplete",
                "the replication is stopped and its lease revoked, but its " + side + " could not be cleaned ("
                        + e.getMessage() + "); repeat the request once the " + side + " answers");
    }
}
