package io.helios.failover.health;

import java.util.Set;
import java.util.UUID;

/** Something that wants endpoints probed (the watched primaries and targets, old primaries awaiting their fence). */
public interface ProbeTargets {

    Set<UUID> endpointsToProbe();
}
