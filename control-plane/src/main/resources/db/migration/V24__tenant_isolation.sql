-- Tenant isolation of definitions (issue 13): endpoints and schemas belong to tenants.

-- An endpoint owned by a tenant is that tenant's alone; NULL = shared (managed by unrestricted admins).
ALTER TABLE endpoint ADD COLUMN owner_tenant_id text REFERENCES tenant (id);
CREATE INDEX endpoint_owner_idx ON endpoint (owner_tenant_id) WHERE owner_tenant_id IS NOT NULL;

-- Shared endpoints a tenant's replications may use (granted by an unrestricted admin).
CREATE TABLE tenant_endpoint (
    tenant_id   text        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    endpoint_id uuid        NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    granted_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, endpoint_id)
);
CREATE INDEX tenant_endpoint_endpoint_idx ON tenant_endpoint (endpoint_id);

-- Schemas a tenant claims on an endpoint. An exclusive claim (shared = false) is the tenant's
-- alone: no other tenant holds any claim on it. A shared claim is a schema of shared ROW tables:
-- several tenants may share it, none may own it. Mixed claims are refused by the service under
-- an advisory lock; the partial index refuses two exclusive claims even without it.
CREATE TABLE tenant_schema (
    tenant_id   text        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    endpoint_id uuid        NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    schema_name text        NOT NULL,
    shared      boolean     NOT NULL,
    claimed_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, endpoint_id, schema_name)
);
CREATE UNIQUE INDEX tenant_schema_exclusive_idx ON tenant_schema (endpoint_id, schema_name) WHERE NOT shared;
CREATE INDEX tenant_schema_endpoint_idx ON tenant_schema (endpoint_id, schema_name);

-- Backfill from existing definitions, so that what runs today keeps working for restricted
-- tokens and is protected from now on. Each tenant is granted the endpoints its replications and
-- its primary use, and claims the schemas its replications read and write: exclusively for the
-- SCHEMA model, shared for ROW. Where tenants already name the same schema on an endpoint, the
-- oldest use decides: exclusive -> only that tenant claims it; shared -> the ROW tenants share it
-- and the SCHEMA uses get no claim. DATABASE replications claim nothing. Endpoints stay shared
-- (no owner): operators set owners deliberately (see the operations notes).
INSERT INTO tenant_endpoint (tenant_id, endpoint_id, granted_at)
SELECT DISTINCT tenant_id, endpoint_id, now() FROM (
    SELECT tenant_id, source_endpoint_id AS endpoint_id FROM replication WHERE tenancy_model <> 'DATABASE'
    UNION SELECT tenant_id, target_endpoint_id FROM replication WHERE tenancy_model <> 'DATABASE'
    UNION SELECT id, primary_endpoint_id FROM tenant WHERE primary_endpoint_id IS NOT NULL) used
ON CONFLICT DO NOTHING;

WITH uses AS (
    SELECT tenant_id, source_endpoint_id AS endpoint_id, COALESCE(source_schema, 'public') AS schema_name,
           tenancy_model = 'ROW' AS shared, created_at, 0 AS side
    FROM replication WHERE tenancy_model <> 'DATABASE'
    UNION ALL
    SELECT tenant_id, target_endpoint_id, COALESCE(target_schema, source_schema, 'public'),
           tenancy_model = 'ROW', created_at, 1
    FROM replication WHERE tenancy_model <> 'DATABASE'),
first_use AS (
    SELECT DISTINCT ON (endpoint_id, schema_name) endpoint_id, schema_name, tenant_id, shared
    FROM uses ORDER BY endpoint_id, schema_name, created_at, side, tenant_id)
INSERT INTO tenant_schema (tenant_id, endpoint_id, schema_name, shared, claimed_at)
SELECT DISTINCT u.tenant_id, u.endpoint_id, u.schema_name, u.shared, now()
FROM uses u JOIN first_use f ON f.endpoint_id = u.endpoint_id AND f.schema_name = u.schema_name
WHERE (f.shared AND u.shared) OR (NOT f.shared AND NOT u.shared AND u.tenant_id = f.tenant_id)
ON CONFLICT DO NOTHING;
