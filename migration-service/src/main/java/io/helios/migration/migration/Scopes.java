package io.helios.migration.migration;

import io.helios.core.change.TableId;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.migration.controlplane.ReplicationInfo;
import io.helios.postgres.catalog.Catalog;
import io.helios.postgres.fence.Fence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The tenant's tables on the endpoint a replication reads from, as that replication scopes them. Stateless. */
final class Scopes {

    private Scopes() {
    }

    static TenantScope of(ReplicationInfo r) {
        return new TenantScope(r.tenantId(), TenancyModel.valueOf(r.tenancyModel()), r.sourceSchema(), r.targetSchema(),
                r.discriminatorColumn(), TableFilter.of(r.includeTables(), r.excludeTables()));
    }

    /**
     * Installs the fence's guards on the tenant's tables of the replication's source (idempotent), so a
     * cutover can hold their writers there. Takes each table's lock briefly; run before any hold.
     */
    static List<TableId> protectSource(Connection source, ReplicationInfo r) throws SQLException {
        TenantScope scope = of(r);
        Fence.installSchema(source);
        List<TableId> tables = Catalog.tableIds(source, scope);
        for (TableId t : tables) {
            Fence.protect(source, t, scope); // its own transaction in autocommit
        }
        return tables;
    }
}
