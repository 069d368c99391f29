package io.helios.core.tenant;

import java.util.Objects;

/**
 * What of the source belongs to one tenant and where it lands on the target.
 *
 * @param tenantId            the tenant
 * @param model               tenancy model
 * @param sourceSchema        SCHEMA: the tenant's schema; ROW: the schema of the shared tables;
 *                            DATABASE: ignored (every non-system schema travels, under its own name)
 * @param targetSchema        SCHEMA and ROW: where tables land on the target (defaults to {@code sourceSchema})
 * @param discriminatorColumn ROW: the column holding the tenant id (default {@code tenant_id})
 * @param tables              include/exclude filter over table names
 */
public record TenantScope(String tenantId, TenancyModel model, String sourceSchema, String targetSchema,
                          String discriminatorColumn, TableFilter tables) {

    public TenantScope {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(model, "model");
        sourceSchema = sourceSchema == null || sourceSchema.isBlank() ? "public" : sourceSchema;
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

    /** Whether a source table belongs to this tenant's replication. */
    public boolean includes(String schema, String table) {
        if (model == TenancyModel.DATABASE) {
            return !isSystemSchema(schema) && tables.accepts(schema, table);
        }
        return schema.equals(sourceSchema) && tables.accepts(schema, table);
    }

    /** The target schema for a source schema. */
    public String targetSchemaFor(String schema) {
        return model == TenancyModel.DATABASE ? schema : targetSchema;
    }

    public static boolean isSystemSchema(String schema) {
        return schema.equals("pg_catalog") || schema.equals("information_schema") || schema.equals("helios")
                || schema.startsWith("pg_toast") || schema.startsWith("pg_temp");
    }
}
