package io.helios.core.tenant;

import java.util.Objects;

/**
 * What of the source belongs to one tenant and where it lands on the target.
 *
 * @param tenantId            the tenant
 * @param model               tenancy model
 * @param sourceSchema        SCHEMA: the tenant's schema; ROW and DATABASE: the schema whose tables travel
 * @param targetSchema        where tables land on the target (defaults to {@code sourceSchema})
 * @param discriminatorColumn ROW: the column holding the tenant id (default {@code tenant_id})
 * @param tables              include/exclude filter over table names
 */
public record TenantScope(String tenantId, TenancyModel model, String sourceSchema, String targetSchema,
                          String discriminatorColumn, TableFilter tables) {

    public TenantScope {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(model, "model");
        Identifiers.require(sourceSchema, "source schema");
        targetSchema = targetSchema == null || targetSchema.isBlank() ? sourceSchema : targetSchema;
        Identifiers.require(targetSchema, "target schema");
        if (model == TenancyModel.ROW) {
            discriminatorColumn = discriminatorColumn == null || discriminatorColumn.isBlank()
                    ? "tenant_id" : discriminatorColumn;
            Identifiers.require(discriminatorColumn, "discriminator column");
        } else {
            discriminatorColumn = null;
        }
        tables = tables == null ? TableFilter.ALL : tables;
    }

    public boolean includes(String schema, String table) {
        return schema.equals(sourceSchema) && tables.accepts(schema, table);
    }
}
