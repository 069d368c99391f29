package io.helios.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do. People hold {@link #VIEWER}, {@link #OPERATOR} or {@link #ADMIN}, each
 * including the ones below it; {@link #WORKER} is the replicator workers' service role, outside
 * that hierarchy: it grants the lease protocol and nothing else, and no human role grants it.
 * {@link #SERVICE} is the internal services' role (migration-service, failover-service), also
 * outside it: endpoint connections and moves of the routing directory, which no person makes by
 * hand. A service's token carries {@code admin} too, for the replications it defines.
 */
public enum Role {
    /** Reads everything it can see. */
    VIEWER(1),
    /** Also starts, pauses, resumes and stops replications, and runs migrations. */
    OPERATOR(2),
    /** Also manages endpoints (credentials), tenants, replications' definitions, QoS policies, deletions, manual failover. */
    ADMIN(3),
    /** The workers' service credential: register and heartbeat only. */
    WORKER(0),
    /** The internal services' credential: endpoint connections and routing directory moves only. */
    SERVICE(0);

    private final int rank;

    Role(int rank) {
        this.rank = rank;
    }

    /** Whether holding this role is enough for an operation that requires {@code required}. */
    public boolean satisfies(Role required) {
        if (required.rank == 0 || rank == 0) { // a service role is held only by name
            return this == required;
        }
        return rank >= required.rank;
    }

    /** The claim value of this role: {@code viewer}, {@code operator}, {@code admin}, {@code worker}, {@code service}. */
    public String claimValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a claim value names (case-insensitive), if it names one of ours. */
    public static Optional<Role> fromClaim(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.name().equals(v)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
