-- failover-service's own database (helios_failover)

-- policies: attached to a tenant (all its replications) or to one replication of it
CREATE TABLE failover_policy (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL UNIQUE,
    tenant_id       text        NOT NULL,
    replication_id  uuid,
    threshold_ms    bigint      NOT NULL CHECK (threshold_ms >= 0),
    rpo_bound_ms    bigint      NOT NULL CHECK (rpo_bound_ms >= 0),
    enabled         boolean     NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint
);
CREATE UNIQUE INDEX failover_policy_tenant ON failover_policy (tenant_id) WHERE replication_id IS NULL;
CREATE UNIQUE INDEX failover_policy_replication ON failover_policy (replication_id) WHERE replication_id IS NOT NULL;

-- maintenance windows: no automatic failover of the tenant (or of every tenant when tenant_id is null)
CREATE TABLE maintenance_window (
    id          uuid PRIMARY KEY,
    tenant_id   text,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    reason      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    version     bigint,
    CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_window_ends ON maintenance_window (ends_at);

-- each observer's current view of each endpoint (one row per pair; replicas share it to agree)
CREATE TABLE observation (
    endpoint_id   uuid        NOT NULL,
    observer_id   text        NOT NULL,
    reachable     boolean     NOT NULL,
    since         timestamptz NOT NULL,
    observed_at   timestamptz NOT NULL,
    last_error    text,
    PRIMARY KEY (endpoint_id, observer_id)
);

-- probe history (bounded by helios.probe.history-retention)
CREATE TABLE probe_result (
    id           bigserial PRIMARY KEY,
    endpoint_id  uuid        NOT NULL,
    observer_id  text        NOT NULL,
    at           timestamptz NOT NULL,
    reachable    boolean     NOT NULL,
    writable     boolean     NOT NULL,
    latency_ms   double precision NOT NULL,
    error        text
);
CREATE INDEX probe_result_endpoint_at ON probe_result (endpoint_id, at DESC);

-- one acting replica at a time
CREATE TABLE leader_lease (
    name        text PRIMARY KEY,
    holder      text        NOT NULL,
    epoch       bigint      NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- failovers as a persisted state machine
CREATE TABLE failover (
    id                     uuid PRIMARY KEY,
    tenant_id              text        NOT NULL,
    replication_id         uuid        NOT NULL,
    old_primary_id         uuid        NOT NULL,
    new_primary_id         uuid        NOT NULL,
    new_primary_region     text,
    trigger                text        NOT NULL,
    state                  text        NOT NULL,
    reason                 text        NOT NULL,
    last_applied_lsn       text,
    lease_epoch            bigint,
    routing_epoch          bigint,
    error                  text,
    started_at             timestamptz NOT NULL,
    promoted_at            timestamptz,
    fenced_at              timestamptz,
    quarantined_at         timestamptz,
    quarantined_count      integer,
    failback_replication_id uuid,
    updated_at             timestamptz NOT NULL,
    version                bigint
);
CREATE INDEX failover_tenant ON failover (tenant_id, started_at DESC);
-- at most one failover of a replication in flight or waiting for its old primary
CREATE UNIQUE INDEX failover_open ON failover (replication_id) WHERE state IN ('PROMOTING');

-- transactions the old primary committed after the last applied position
CREATE TABLE unreplicated_transaction (
    id           uuid PRIMARY KEY,
    failover_id  uuid        NOT NULL REFERENCES failover (id) ON DELETE CASCADE,
    xid          bigint      NOT NULL,
    commit_lsn   text        NOT NULL,
    commit_time  timestamptz,
    changes      jsonb       NOT NULL,
    state        text        NOT NULL DEFAULT 'PENDING',
    decided_by   text,
    decided_at   timestamptz,
    version      bigint,
    UNIQUE (failover_id, xid)
);
