package io.helios.core.tenant;

/** How a tenant is laid out on its source. */
public enum TenancyModel {
    /** The tenant owns a schema; every (filtered) table in it, new ones included, travels. */
    SCHEMA,
    /** Shared tables with a discriminator column; only the tenant's rows travel. */
    ROW,
    /** The tenant owns a database. */
    DATABASE
}
