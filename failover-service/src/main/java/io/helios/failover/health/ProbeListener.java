package io.helios.failover.health;

import java.util.UUID;

/**
 * Hears about an endpoint before it is probed, on the probing thread: the old primary's fence
 * must be installed before anything else happens there once it answers again.
 */
public interface ProbeListener {

    /** Called before each probe of {@code endpointId}; must be bounded (it delays the probe). */
    void beforeProbe(UUID endpointId);
}
