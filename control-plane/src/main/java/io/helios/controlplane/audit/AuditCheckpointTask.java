package io.helios.controlplane.audit;

import io.helios.controlplane.HeliosProperties;
import io.helios.controlplane.maintenance.MaintenanceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Writes a signed checkpoint of the audit chain head at an interval (on one control-plane
 * instance at a time, through the maintenance scheduler) when the head moved since the last one,
 * and logs it: a copy of the log line kept outside the database lets a verifier notice a rewritten
 * chain even if checkpoints were removed. Signed with HMAC-SHA256 under a key derived from the
 * active secrets key ({@code helios.secrets.active-key}).
 */
@Component
class AuditCheckpointTask implements MaintenanceTask {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpointTask.class);

    private final JdbcClient jdbc;
    private final AuditProperties properties;
    private final HeliosProperties.Secrets secrets;
    private final Clock clock;

    AuditCheckpointTask(JdbcClient jdbc, AuditProperties properties, HeliosProperties helios, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.secrets = helios.secrets();
        this.clock = clock;
    }

    @Override
    public String name() {
        return "audit-checkpoint";
    }

    @Override
    public boolean enabled() {
        return properties.checkpointsEnabled();
    }

    @Override
    public Duration interval() {
        return properties.checkpointInterval();
    }

    @Override
    public void run() {
        checkpoint();
    }

    /** Writes a checkpoint of the current head unless the newest one already names it; answers its id. */
    Optional<Long> checkpoint() {
        record Head(long id, byte[] hash) {
        }
        Head head = jdbc.sql("SELECT last_id, last_hash FROM audit_chain_head")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getBytes(2))).single();
        Optional<Long> lastHead = jdbc.sql("SELECT head_id FROM audit_checkpoint ORDER BY id DESC LIMIT 1")
                .query(Long.class).optional();
        if (head.id() == 0 || lastHead.isPresent() && lastHead.get() == head.id()) {
            return Optional.empty();
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String keyId = secrets.activeKey();
        byte[] signature = AuditChain.sign(Base64.getDecoder().decode(secrets.keys().get(keyId)),
                AuditChain.checkpointPayload(head.id(), head.hash(), at));
        long id = jdbc.sql("SELECT audit_add_checkpoint(:at, :head, :hash, :key, :sig)")
                .param("at", Timestamp.from(at)).param("head", head.id()).param("hash", head.hash())
                .param("key", keyId).param("sig", signature).query(Long.class).single();
        HexFormat hex = HexFormat.of();
        log.info("audit checkpoint {}: head row {} hash {} at {} key {} signature {}", id, head.id(),
                hex.formatHex(head.hash()), at.toEpochMilli(), keyId, hex.formatHex(signature));
        return Optional.of(id);
    }
}
