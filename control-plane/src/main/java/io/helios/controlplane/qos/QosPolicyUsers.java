package io.helios.controlplane.qos;

import java.util.Optional;
import java.util.UUID;

/**
 * A feature whose records refer to QoS policies (replications). Implemented by that feature,
 * over its own tables, so that the QoS feature can refuse to remove a policy in use while the
 * dependency points from the referring feature to this one only. Implementations are stateless
 * beans, called inside the caller's transaction.
 */
public interface QosPolicyUsers {

    /** How this feature's records use the policy, as a refusal names it ("2 replication(s)"); empty if they do not. */
    Optional<String> usesOfPolicy(UUID policyId);
}
