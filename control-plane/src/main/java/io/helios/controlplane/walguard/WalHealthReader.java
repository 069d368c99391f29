package io.helios.controlplane.walguard;

import io.helios.controlplane.replication.ReplicationHealth;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** Answers the replication feature's status view from the WAL guard's table. Stateless. */
@Component
class WalHealthReader implements ReplicationHealth {

    private final ReplicationWalStore store;

    WalHealthReader(ReplicationWalStore store) {
        this.store = store;
    }

    @Override
    public Optional<Wal> of(UUID replicationId) {
        return store.find(replicationId).map(ReplicationWalStore.Row::wal);
    }
}
