package io.helios.controlplane.replication;

import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.web.ApiException;
import io.helios.postgres.PgEndpoint;
import io.helios.postgres.slot.Publications;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.postgres.slot.ReplicationSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Removes what a replication leaves on its endpoints when it is stopped or deleted: the slot
 * and publication on the source (ending a walsender that still holds the slot), and its row
 * of {@code helios.replication_checkpoint} on the target so a later start copies afresh.
 * Runs outside any control-plane transaction; blocking, bounded by the connect timeout and
 * {@link ReplicationSlots#drop}'s own wait.
 */
@Component
class SourceCleanup {

    private static final Logger log = LoggerFactory.getLogger(SourceCleanup.class);

    private final EndpointService endpoints;

    SourceCleanup(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    void clean(Replication r) {
        String id = r.id().toString();
        PgEndpoint source = endpoints.connectionOf(r.sourceEndpointId());
        try (Connection c = source.open()) {
            boolean dropped = ReplicationSlots.drop(c, ReplicationNames.slot(id));
            Publications.drop(c, ReplicationNames.publication(id));
            log.info("replication {}: source cleaned (slot dropped: {})", id, dropped);
        } catch (SQLException e) {
            throw unavailable("source", r, e);
        }
        PgEndpoint target = endpoints.connectionOf(r.targetEndpointId());
        try (Connection c = target.open()) {
            forgetCheckpoint(c, id);
        } catch (SQLException e) {
            throw unavailable("target", r, e);
        }
    }

    private static void forgetCheckpoint(Connection c, String replicationId) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass('helios.replication_checkpoint') IS NOT NULL");
             ResultSet rs = exists.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM helios.replication_checkpoint WHERE replication_id::text = ?")) {
            ps.setString(1, replicationId);
            int rows = ps.executeUpdate();
            log.debug("replication {}: {} checkpoint row(s) removed from the target", replicationId, rows);
        }
    }

    private static ApiException unavailable(String side, Replication r, SQLException e) {
        log.debug("replication {}: cleanup on the {} failed: {}", r.id(), side, e.getMessage());
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "cleanup-failed", "Cleanup incomplete",
                "the replication is stopped and its lease revoked, but its " + side + " could not be cleaned ("
                        + e.getMessage() + "); repeat the request once the " + side + " answers");
    }
}
