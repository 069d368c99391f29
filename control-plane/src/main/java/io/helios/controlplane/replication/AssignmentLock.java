package io.helios.controlplane.replication;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Serialises every change of leases and desired states (heartbeats, lifecycle actions) across
 * all control-plane instances with a transaction-scoped PostgreSQL advisory lock. Must be
 * called inside a transaction; the lock is released at commit or rollback.
 */
@Component
public class AssignmentLock {

    /** "HELIOS" in ASCII: the advisory lock key reserved for assignments. */
    private static final long KEY = 0x48454C494F53L;

    private final JdbcClient jdbc;

    public AssignmentLock(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void acquire() {
        jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", KEY).query().singleValue();
    }
}
