package io.helios.failover.decision;

import io.helios.failover.controlplane.Replication;

import java.util.List;

/** The decision on one replication: fail over or not, and every condition with its reason. */
public record Verdict(Replication replication, boolean failover, List<Check> checks) {

    /** The unmet conditions in one line, or "all conditions met". */
    public String summary() {
        List<String> unmet = checks.stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail()).toList();
        return unmet.isEmpty() ? "all conditions met: " + String.join("; ", checks.stream().map(Check::detail).toList())
                : String.join("; ", unmet);
    }
}
