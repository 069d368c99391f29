package io.helios.controlplane.lease;

import io.helios.controlplane.replication.LeaseRevoker;
import io.helios.controlplane.replication.ReplicationLeasing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;
import java.util.UUID;

/** Revocation and lookup of leases for the replication lifecycle. */
@Service
class LeaseService implements LeaseRevoker {

    private static final Logger log = LoggerFactory.getLogger(LeaseService.class);

    private final LeaseRepository leases;
    private final ReplicationLeasing replications;

    LeaseService(LeaseRepository leases, ReplicationLeasing replications) {
        this.leases = leases;
        this.replications = replications;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void revoke(UUID replicationId) {
        int released = leases.release(replicationId);
        long epoch = replications.bumpLeaseEpoch(replicationId);
        log.info("replication {}: lease {} (epoch now {})", replicationId, released > 0 ? "revoked" : "fenced", epoch);
    }

    @Override
    public Optional<Holder> holder(UUID replicationId) {
        return leases.findById(replicationId).map(l -> new Holder(l.workerId(), l.epoch()));
    }
}
