package io.helios.controlplane.preflight;

import io.helios.controlplane.endpoint.ConnectionProbe;
import io.helios.controlplane.endpoint.EndpointService;
import io.helios.controlplane.replication.Replication;
import io.helios.controlplane.replication.ReplicationService;
import io.helios.service.web.ApiException;
import io.helios.core.tenant.TableFilter;
import io.helios.core.tenant.TableGlob;
import io.helios.core.tenant.TenancyModel;
import io.helios.core.tenant.TenantScope;
import io.helios.postgres.PgEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tells an operator what an endpoint lacks before a replication starts, by connecting to it
 * (bounded timeout, {@code sslmode} from the URL honoured) and reading its settings and
 * catalog. Never changes anything on the endpoint. An unreachable endpoint is a FAIL check,
 * not an error.
 */
@Service
public class PreflightService {

    private static final Logger log = LoggerFactory.getLogger(PreflightService.class);

    private final EndpointService endpoints;
    private final ReplicationService replications;
    private final ConnectionProbe probe;

    public PreflightService(EndpointService endpoints, ReplicationService replications, ConnectionProbe probe) {
        this.endpoints = endpoints;
        this.replications = replications;
        this.probe = probe;
    }

    public PreflightReport endpoint(UUID endpointId, PreflightRequest request) {
        TenantScope scope = request.tenancyModel() == null ? null : scope(request);
        return check(endpointId, request.role(), request.tenancyModel(), scope, request.tenantId() != null);
    }

    public PreflightReport.Pair replication(UUID replicationId) {
        Replication r = replications.get(replicationId);
        TenantScope scope = new TenantScope(r.tenantId(), r.tenancyModel(), r.sourceSchema(), r.targetSchema(),
                r.discriminatorColumn(), TableFilter.of(r.includeList(), r.excludeList()));
        PreflightReport source = check(r.sourceEndpointId(), Role.SOURCE, r.tenancyModel(), scope, true);
        PreflightReport target = check(r.targetEndpointId(), Role.TARGET, r.tenancyModel(), null, false);
        return new PreflightReport.Pair(replicationId, source.ok() && target.ok(), source, target);
    }

    private PreflightReport check(UUID endpointId, Role role, TenancyModel model, TenantScope scope,
                                  boolean tenantGiven) {
        PgEndpoint pg = endpoints.connectionOf(endpointId);
        List<Check> checks = new ArrayList<>();
        try (Connection c = probe.open(pg.jdbcUrl(), pg.user(), pg.password())) {
            checks.add(Check.ok("connection", "connected to " + pg.jdbcUrl() + " as " + pg.user()));
            checks.addAll(ServerChecks.run(c, role, model == TenancyModel.ROW, pg.jdbcUrl()));
            checks.addAll(FenceChecks.run(c));
            if (scope != null && role == Role.SOURCE) {
                checks.addAll(TableChecks.run(c, scope, tenantGiven));
            }
        } catch (ApiException e) {
            checks.add(Check.fail("connection", e.getMessage()));
        } catch (SQLException e) {
            log.debug("preflight of endpoint {} interrupted: {}", endpointId, e.getMessage());
            checks.add(Check.fail("catalog", "could not read the server's settings: " + e.getMessage()));
        }
        return PreflightReport.of(endpointId, role, checks);
    }

    private static TenantScope scope(PreflightRequest r) {
        filterList("includeTables", r.includeTables());
        filterList("excludeTables", r.excludeTables());
        try {
            return new TenantScope(r.tenantId() == null ? "preflight" : r.tenantId(), r.tenancyModel(), r.sourceSchema(),
                    null, r.discriminatorColumn(), TableFilter.of(r.includeTables(), r.excludeTables()));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("tenancy", e.getMessage());
        }
    }

    private static void filterList(String field, List<String> globs) {
        for (int i = 0; globs != null && i < globs.size(); i++) {
            try {
                TableGlob.parse(globs.get(i));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(field + "[" + i + "]", e.getMessage());
            }
        }
    }
}
