package io.helios.controlplane.preflight;

import io.helios.postgres.fence.FenceAudit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Whether the tenant fence can hold on an endpoint against the applications it fences: its event
 * triggers (which only a superuser may create) stop owners of fenced tables from disabling or
 * dropping the fence's triggers; nothing stops a superuser. Those findings are warnings: the
 * replication runs, the fence is weaker. A connected role those event triggers would refuse (not a
 * superuser, not a member of helios_applier) fails: it could not protect the tables. Stateless.
 */
final class FenceChecks {

    static final String GUARD = "fence_ddl_guard";
    static final String ROLES = "fence_roles";

    private FenceChecks() {
    }

    static List<Check> run(Connection c) throws SQLException {
        FenceAudit audit = FenceAudit.of(c);
        return List.of(guard(audit), roles(audit));
    }

    private static Check guard(FenceAudit audit) {
        if (audit.ddlGuard() && !audit.applier()) {
            return Check.fail(GUARD, "the fence's event triggers refuse the connected role's changes to fenced tables:"
                    + " GRANT helios_applier TO the connected role");
        }
        if (audit.ddlGuard()) {
            return Check.ok(GUARD, "event triggers helios_fence_ddl and helios_fence_drop are installed");
        }
        if (audit.canInstall()) {
            return Check.ok(GUARD, "the connected role is a superuser: the fence's event triggers are installed with the fence");
        }
        return Check.warn(GUARD, "the connected role cannot create event triggers (superuser only): owners of fenced tables"
                + " could disable or drop the fence's triggers and change fenced tables; let a superuser install the fence"
                + " once on this database, or make the applications' roles own no replicated table");
    }

    private static Check roles(FenceAudit audit) {
        StringBuilder why = new StringBuilder();
        if (!audit.superuserRoles().isEmpty()) {
            why.append("login roles that are superusers pass any fence: ").append(String.join(", ", audit.superuserRoles()));
        }
        if (!audit.tableOwners().isEmpty()) {
            why.append(why.isEmpty() ? "" : "; ").append("roles other than the connected one own fenced tables")
                    .append(audit.ddlGuard() ? " (held by the event triggers): " : " and may disable the fence's triggers: ")
                    .append(String.join(", ", audit.tableOwners()));
        }
        return why.isEmpty() ? Check.ok(ROLES, "no other superuser, no fenced table owned by another role")
                : Check.warn(ROLES, why.toString());
    }
}
