-- WAL guard and orphan sweeper. Written only by the control plane's scheduled maintenance.

-- What the WAL guard last read of each replication's slot on its source, and what it decided.
CREATE TABLE replication_wal (
    replication_id   uuid PRIMARY KEY REFERENCES replication (id) ON DELETE CASCADE,
    slot_name        text        NOT NULL,
    slot_present     boolean     NOT NULL,
    slot_active      boolean,
    wal_status       text,                          -- pg_replication_slots.wal_status: reserved, extended, unreserved, lost
    retained_bytes   bigint,                        -- pg_current_wal_lsn() - restart_lsn
    safe_wal_size    bigint,                        -- bytes writable before the slot is at risk of losing WAL
    alert_level      text        NOT NULL DEFAULT 'NONE' CHECK (alert_level IN ('NONE', 'WARN', 'LIMIT')),
    stale            boolean     NOT NULL DEFAULT false,
    needs_fresh_copy boolean     NOT NULL DEFAULT false,
    cleanup_pending  boolean     NOT NULL DEFAULT false, -- the target's progress is still to be forgotten
    reason           text,                          -- why the guard failed it / marked it for a fresh copy
    read_error       text,                          -- why the last read of the source failed, if it did
    checked_at       timestamptz NOT NULL
);

-- helios_* slots and publications no live replication owns, since when they were first seen.
CREATE TABLE orphan_sighting (
    endpoint_id   uuid        NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('SLOT', 'PUBLICATION')),
    name          text        NOT NULL,
    active        boolean     NOT NULL,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    PRIMARY KEY (endpoint_id, kind, name)
);
