-- the replicating worker's own view of its source connection (an observer for the failover service)
ALTER TABLE replication_status ADD COLUMN source_reachable boolean;
ALTER TABLE replication_status ADD COLUMN source_down_since timestamptz;
