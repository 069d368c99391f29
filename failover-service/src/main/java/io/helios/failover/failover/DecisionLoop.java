package io.helios.failover.failover;

import io.helios.failover.FailoverProperties;
import io.helios.failover.decision.FailoverDecider;
import io.helios.failover.decision.LeaderLease;
import io.helios.failover.decision.Verdict;
import io.helios.failover.topology.Topology;
import io.helios.failover.topology.Watched;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The acting replica's loop ({@code helios.decision.interval}): renew the leader lease; if held,
 * resume failovers left PROMOTING (a previous leader crashed in the middle) and evaluate every
 * watched replication, starting a failover when the verdict says so (unless
 * {@code helios.decision.enabled=false}); a replication whose last failover FAILED waits ten minutes
 * (or an operator). Verdict changes are logged once, not every tick.
 */
@Component
class DecisionLoop implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DecisionLoop.class);
    /** After a failover FAILED (a refusal, not a transient error), automatic failover of that replication waits this long. */
    private static final java.time.Duration RETRY_AFTER_FAILURE = java.time.Duration.ofMinutes(10);

    private final LeaderLease lease;
    private final Topology topology;
    private final FailoverDecider decider;
    private final FailoverExecutor executor;
    private final Failovers failovers;
    private final boolean automatic;
    private final Map<UUID, String> lastSummary = new HashMap<>();

    DecisionLoop(LeaderLease lease, Topology topology, FailoverDecider decider, FailoverExecutor executor,
                 Failovers failovers, FailoverProperties properties) {
        this.lease = lease;
        this.topology = topology;
        this.decider = decider;
        this.executor = executor;
        this.failovers = failovers;
        this.automatic = properties.decision().enabled();
    }

    @Scheduled(fixedDelayString = "${helios.decision.interval:1s}", initialDelayString = "${helios.decision.interval:1s}")
    void tick() {
        if (!lease.acquire()) {
            return;
        }
        failovers.promoting().forEach(executor::run);
        if (!automatic) {
            return;
        }
        for (Watched w : topology.watched()) {
            if (failovers.inFlight(w.replication().id()) || failovers.failedRecently(w.replication().id(), RETRY_AFTER_FAILURE)) {
                continue;
            }
            try {
                Verdict v = decider.evaluate(w, false);
                String summary = v.summary();
                if (!summary.equals(lastSummary.put(w.replication().id(), summary)) && !v.failover()) {
                    log.debug("replication {} of tenant {}: no failover: {}", w.replication().id(), w.replication().tenantId(),
                            summary);
                }
                if (v.failover()) {
                    executor.start(w.replication(), "AUTOMATIC", summary);
                }
            } catch (RuntimeException e) {
                log.warn("decision on replication {} failed: {}", w.replication().id(), e.getMessage());
            }
        }
    }

    @Override
    public void destroy() {
        lease.release();
    }
}
