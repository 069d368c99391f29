-- Helios control plane: system of record. Times are written by the application's clock.

CREATE TABLE endpoint (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL UNIQUE,
    region          text        NOT NULL,
    jdbc_url        text        NOT NULL,
    username        text        NOT NULL,
    sealed_password bytea,                      -- AES-256-GCM, context endpoint:<id>; never clear text
    created_at      timestamptz NOT NULL,
    version         bigint      NOT NULL
);

CREATE TABLE tenant (
    id                  text PRIMARY KEY,       -- operator-chosen slug (Identifiers.isValidTenantId)
    name                text        NOT NULL,
    primary_endpoint_id uuid REFERENCES endpoint (id),
    routing_epoch       bigint      NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL,
    version             bigint      NOT NULL
);

CREATE TABLE qos_policy (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    tier        text        NOT NULL CHECK (tier IN ('BEST_EFFORT', 'STANDARD', 'PREMIUM', 'SYNCHRONOUS')),
    max_lag_ms  bigint      NOT NULL CHECK (max_lag_ms > 0),
    compression text        NOT NULL CHECK (compression IN ('LOW', 'MEDIUM', 'HIGH')),
    priority    integer     NOT NULL CHECK (priority BETWEEN 0 AND 255),
    created_at  timestamptz NOT NULL,
    version     bigint      NOT NULL
);

CREATE TABLE replication (
    id                   uuid PRIMARY KEY,
    tenant_id            text        NOT NULL REFERENCES tenant (id),
    source_endpoint_id   uuid        NOT NULL REFERENCES endpoint (id),
    target_endpoint_id   uuid        NOT NULL REFERENCES endpoint (id),
    tenancy_model        text        NOT NULL CHECK (tenancy_model IN ('SCHEMA', 'ROW', 'DATABASE')),
    source_schema        text,
    target_schema        text,
    discriminator_column text,
    include_tables       text,                  -- comma-separated TableGlob patterns (globs cannot hold commas)
    exclude_tables       text,
    lag_target_ms        bigint CHECK (lag_target_ms > 0),
    qos_policy_id        uuid REFERENCES qos_policy (id),
    conflict_strategy    text        NOT NULL,
    state                text        NOT NULL CHECK (state IN ('CREATED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED')),
    lease_epoch          bigint      NOT NULL DEFAULT 0, -- fencing token: grows with every grant and revocation
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL,
    CONSTRAINT replication_source_is_not_target CHECK (source_endpoint_id <> target_endpoint_id),
    CONSTRAINT replication_unique_route UNIQUE (tenant_id, source_endpoint_id, target_endpoint_id)
);
CREATE INDEX replication_state_idx ON replication (state);

CREATE TABLE worker (
    id                text PRIMARY KEY,
    address           text,
    capacity          integer     NOT NULL,
    registered_at     timestamptz NOT NULL,
    last_heartbeat_at timestamptz NOT NULL
);

CREATE TABLE lease (
    replication_id uuid PRIMARY KEY REFERENCES replication (id) ON DELETE CASCADE,
    worker_id      text        NOT NULL REFERENCES worker (id),
    epoch          bigint      NOT NULL,
    granted_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL
);
CREATE INDEX lease_worker_idx ON lease (worker_id);

CREATE TABLE replication_status (
    replication_id       uuid PRIMARY KEY REFERENCES replication (id) ON DELETE CASCADE,
    phase                text        NOT NULL,
    worker_id            text,
    lease_epoch          bigint      NOT NULL,
    last_applied_lsn     text,
    lag_p50_ms           double precision,
    lag_p99_ms           double precision,
    rows_per_second      double precision,
    rows_applied         bigint      NOT NULL DEFAULT 0,
    transactions_applied bigint      NOT NULL DEFAULT 0,
    copy_rows_done       bigint      NOT NULL DEFAULT 0,
    copy_percent         integer,
    last_error           text,
    updated_at           timestamptz NOT NULL
);
