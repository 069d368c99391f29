-- The migration service's own database (helios_migration): one row per migration, its persisted phase and
-- progress, the lease that lets exactly one migration-service replica act on it, and an outbox of events.

CREATE TABLE migration (
    id                      uuid        PRIMARY KEY,
    tenant_id               text        NOT NULL,
    source_endpoint_id      uuid,
    target_endpoint_id      uuid        NOT NULL,
    target_schema           text,
    tenancy_model           text,
    source_schema           text,
    discriminator_column    text,
    cutover_mode            text        NOT NULL CHECK (cutover_mode IN ('AUTO', 'MANUAL')),
    max_write_pause_ms      integer     NOT NULL CHECK (max_write_pause_ms > 0),
    max_lag_for_cutover_ms  bigint      NOT NULL CHECK (max_lag_for_cutover_ms > 0),
    keep_reverse            boolean     NOT NULL,
    cleanup_source          boolean     NOT NULL,
    phase                   text        NOT NULL,
    -- FORWARD: moving to the target; BACK: a rollback moving the tenant back to its source
    direction               text        NOT NULL DEFAULT 'FORWARD',
    outcome                 text,
    replication_id          uuid,
    replication_reused      boolean     NOT NULL DEFAULT false,
    reverse_replication_id  uuid,
    routing_epoch           bigint,
    cutover_requested       boolean     NOT NULL DEFAULT false,
    abort_requested         boolean     NOT NULL DEFAULT false,
    rollback_requested      boolean     NOT NULL DEFAULT false,
    complete_requested      boolean     NOT NULL DEFAULT false,
    rows_copied             bigint      NOT NULL DEFAULT 0,
    bytes_copied            bigint,
    percent                 integer,
    eta_seconds             bigint,
    lag_ms                  double precision,
    write_pause_ms          double precision,
    cutover_attempts        integer     NOT NULL DEFAULT 0,
    final_lsn               text,
    last_error              text,
    lease_owner             text,
    lease_until             timestamptz,
    phase_since             timestamptz NOT NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL
);

-- one migration per tenant at a time: every phase but the final ones counts
CREATE UNIQUE INDEX migration_one_per_tenant ON migration (tenant_id)
    WHERE phase NOT IN ('DONE', 'ABORTED', 'FAILED');

CREATE INDEX migration_due ON migration (lease_until) WHERE phase NOT IN ('DONE', 'ABORTED', 'FAILED');

-- events written in the transaction that changes the phase, sent to the broker after commit (outbox)
CREATE TABLE migration_event (
    seq          bigserial   PRIMARY KEY,
    routing_key  text        NOT NULL,
    payload      text        NOT NULL,
    created_at   timestamptz NOT NULL,
    published_at timestamptz
);

CREATE INDEX migration_event_unpublished ON migration_event (seq) WHERE published_at IS NULL;
