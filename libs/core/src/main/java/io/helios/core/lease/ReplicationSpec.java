package io.helios.core.lease;

import io.helios.core.apply.ConflictStrategy;
import io.helios.core.tenant.TenancyModel;

import java.util.List;

/** Everything a worker needs to run one replication, as handed out with its lease. */
public record ReplicationSpec(String replicationId, String tenantId, EndpointSpec source, EndpointSpec target,
                              TenancyModel tenancyModel, String sourceSchema, String targetSchema,
                              String discriminatorColumn, List<String> includeTables, List<String> excludeTables,
                              ConflictStrategy conflictStrategy, long lagTargetMillis, int maxBatchRows,
                              int priority) {
}
