package io.helios.failover.failover;

import io.helios.core.change.Lsn;
import io.helios.failover.endpoint.EndpointConnections;
import io.helios.failover.health.ProbeListener;
import io.helios.failover.health.ProbeTargets;
import io.helios.postgres.fence.Fence;
import io.helios.postgres.slot.ReplicationNames;
import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.failover.controlplane.ControlPlaneClient;
import io.helios.failover.controlplane.Replication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The old primaries of promoted failovers. They are probed like primaries; before each probe,
 * once one answers again, the first thing done there is the tenant's fence (every table of the
 * replication's publication guarded, the tenant listed with a reason naming the new primary and
 * routing epoch), so that an application still writing there is refused, never silently split.
 * Then the transactions it committed after the last applied position are read from the
 * replication's slot, which still exists there, and quarantined. Any replica may do this (each step
 * is idempotent and the failover's moves are optimistic-locked).
 */
@Component
class OldPrimaries implements ProbeTargets, ProbeListener {

    private static final Logger log = LoggerFactory.getLogger(OldPrimaries.class);

    private final FailoverRepository failovers;
    private final UnreplicatedStore quarantine;
    private final EndpointConnections connections;
    private final ControlPlaneClient controlPlane;
    private final FailoverEvents events;
    private final Clock clock;

    OldPrimaries(FailoverRepository failovers, UnreplicatedStore quarantine, EndpointConnections connections,
                 ControlPlaneClient controlPlane, FailoverEvents events, Clock clock) {
        this.failovers = failovers;
        this.controlPlane = controlPlane;
        this.quarantine = quarantine;
        this.connections = connections;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Set<UUID> endpointsToProbe() {
        return pending().stream().map(Failover::oldPrimaryId).collect(Collectors.toSet());
    }

    @Override
    public void beforeProbe(UUID endpointId) {
        for (Failover f : pending()) {
            if (f.oldPrimaryId().equals(endpointId)) {
                handle(f);
            }
        }
    }

    private List<Failover> pending() {
        List<Failover> out = new ArrayList<>();
        for (Failover f : failovers.findUnfinished()) {
            if (f.state() == FailoverState.PROMOTED || f.state() == FailoverState.OLD_PRIMARY_FENCED) {
                out.add(f);
            }
        }
        return out;
    }

    private void handle(Failover f) {
        try (Connection c = connections.open(f.oldPrimaryId())) {
            c.setAutoCommit(true);
            if (f.state() == FailoverState.PROMOTED) {
                f = fence(c, f);
            }
            quarantine(c, f);
        } catch (SQLException e) {
            log.debug("failover {}: old primary {} not answering yet: {}", f.id(), f.oldPrimaryId(), e.getMessage());
        }
    }

    private Failover fence(Connection c, Failover f) throws SQLException {
        String reason = f.fenceReason();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL statement_timeout = '30s'");
            }
            Fence.fence(c, f.tenantId(), reason);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            if (!"42P01".equals(e.getSQLState()) && !"3F000".equals(e.getSQLState())) {
                throw e;
            }
            // no fence table there yet (a source that was never a replica): install it first
            c.setAutoCommit(true);
            Fence.installSchema(c);
            c.setAutoCommit(false);
            Fence.fence(c, f.tenantId(), reason);
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        int guarded = guardTables(c, f);
        Failover fenced = failovers.save(f.fenced(clock.instant()));
        log.warn("failover {}: old primary {} answers again; tenant {} fenced there ({} tables guarded): {}", f.id(),
                f.oldPrimaryId(), f.tenantId(), guarded, reason);
        events.event("old-primary-fenced", fenced, FailoverEvents.of("reason", reason), fenced.fencedAt());
        return fenced;
    }

    /** Guards every table of the replication's publication for the tenant (idempotent). */
    private int guardTables(Connection c, Failover f) throws SQLException {
        List<TableId> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
            ps.setString(1, ReplicationNames.publication(f.replicationId().toString()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableId(rs.getString(1), rs.getString(2)));
                }
            }
        }
        TenantScope scope = scopeOf(f);
        for (TableId t : tables) {
            Fence.protect(c, t, scope);
        }
        return tables.size();
    }

    private void quarantine(Connection c, Failover f) throws SQLException {
        if (f.lastAppliedLsn() == null) {
            log.warn("failover {}: no last applied position recorded; nothing can be quarantined", f.id());
            failovers.save(f.quarantined(0, clock.instant()));
            return;
        }
        String slot = ReplicationNames.slot(f.replicationId().toString());
        if (!slotExists(c, slot)) {
            log.warn("failover {}: slot {} is gone on the old primary {}; its unreplicated writes cannot be read", f.id(),
                    slot, f.oldPrimaryId());
            Failover done = failovers.save(f.quarantined(0, clock.instant()).withError("slot " + slot
                    + " no longer exists on the old primary: unreplicated writes could not be read", clock.instant()));
            events.event("quarantined", done, FailoverEvents.of("transactions", 0, "slotMissing", true), done.quarantinedAt());
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '120s'");
        }
        List<LostTransaction> lost = SlotReader.after(c, slot, ReplicationNames.publication(f.replicationId().toString()),
                Lsn.parse(f.lastAppliedLsn()));
        quarantine.store(f.id(), lost);
        Failover done = failovers.save(f.quarantined(lost.size(), clock.instant()));
        log.warn("failover {}: {} transactions the old primary committed after {} are quarantined", f.id(), lost.size(),
                f.lastAppliedLsn());
        events.event("quarantined", done, FailoverEvents.of("transactions", lost.size()), done.quarantinedAt());
        if (!lost.isEmpty()) {
            events.alert("UnreplicatedWritesQuarantined", done, lost.size() + " transactions of tenant " + f.tenantId()
                    + " committed on the old primary after " + f.lastAppliedLsn() + " await replay or discard", done.quarantinedAt());
        }
    }

    private static boolean slotExists(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The tenant's scope as the fence needs it (model, discriminator): from the control plane's replication. */
    private TenantScope scopeOf(Failover f) {
        Replication r = controlPlane.replication(f.replicationId());
        return new TenantScope(r.tenantId(), TenancyModel.valueOf(r.tenancyModel()), r.sourceSchema(), r.targetSchema(),
                r.discriminatorColumn(), TableFilter.of(r.includeTables(), r.excludeTables()));
    }
}
