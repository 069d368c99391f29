package io.helios.controlplane.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks the audit hash chain from its first row, in pages, recomputing each row's hash in Java
 * ({@link AuditChain}) and checking that it links to the row before it; then checks that the
 * chain head and the newest signed checkpoint agree with the rows. Walks only up to the committed
 * chain head read first: appends are serialised on the head row, so every row up to it is committed.
 */
@Component
class AuditVerifier {

    private static final int PAGE = 1000;

    private final JdbcClient jdbc;
    private final Map<String, String> keys;

    AuditVerifier(JdbcClient jdbc, io.helios.controlplane.HeliosProperties properties) {
        this.jdbc = jdbc;
        this.keys = properties.secrets().keys();
    }

    AuditVerification verify(int limit) {
        Head head = jdbc.sql("SELECT last_id, last_hash FROM audit_chain_head")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getBytes(2))).single();
        byte[] prev = AuditChain.GENESIS;
        long lastId = 0;
        long rows = 0;
        while (rows < limit) {
            List<Row> page = jdbc.sql("SELECT * FROM audit_event WHERE id > :after AND id <= :head ORDER BY id LIMIT :n")
                    .param("after", lastId).param("head", head.id()).param("n", Math.min(PAGE, limit - rows))
                    .query((rs, n) -> row(rs)).list();
            if (page.isEmpty()) {
                break;
            }
            for (Row r : page) {
                if (!MessageDigest.isEqual(prev, r.prevHash())) {
                    return broken(rows, lastId, prev, r.event().id(), lastId == 0
                            ? "its prev_hash is not the chain's start: rows before it were removed"
                            : "its prev_hash does not match the hash of row " + lastId
                            + ": that row was changed, or rows between them were removed");
                }
                if (!MessageDigest.isEqual(AuditChain.hash(prev, r.event()), r.rowHash())) {
                    return broken(rows, lastId, prev, r.event().id(), "its fields do not match its hash: the row was changed");
                }
                prev = r.rowHash();
                lastId = r.event().id();
                rows++;
            }
        }
        boolean complete = lastId == head.id();
        if (complete && !MessageDigest.isEqual(prev, head.hash())) {
            return broken(rows, lastId, prev, head.id(), "the chain head does not match the last row: rows at the end"
                    + " were removed or changed");
        }
        Optional<Checkpoint> checkpoint = jdbc.sql("SELECT * FROM audit_checkpoint ORDER BY id DESC LIMIT 1")
                .query((rs, n) -> new Checkpoint(rs.getLong("id"), rs.getTimestamp("created_at").toInstant(),
                        rs.getLong("head_id"), rs.getBytes("head_hash"), rs.getString("key_id"), rs.getBytes("signature")))
                .optional();
        if (checkpoint.isPresent()) {
            String why = checkCheckpoint(checkpoint.get(), head);
            if (why != null) {
                return new AuditVerification(false, rows, lastId, hex(prev), complete, checkpoint.get().headId(),
                        "checkpoint " + checkpoint.get().id() + ": " + why, checkpoint.get().id());
            }
        }
        return new AuditVerification(true, rows, lastId, hex(prev), complete, null, null,
                checkpoint.map(Checkpoint::id).orElse(null));
    }

    private String checkCheckpoint(Checkpoint c, Head head) {
        String key = keys.get(c.keyId());
        if (key == null) {
            return "signed with key " + c.keyId() + ", which is not configured";
        }
        byte[] expected = AuditChain.sign(Base64.getDecoder().decode(key),
                AuditChain.checkpointPayload(c.headId(), c.headHash(), c.createdAt()));
        if (!MessageDigest.isEqual(expected, c.signature())) {
            return "its signature is not valid";
        }
        if (c.headId() > head.id()) {
            return "it names row " + c.headId() + " beyond the chain head " + head.id() + ": rows at the end were removed";
        }
        Optional<byte[]> hash = jdbc.sql("SELECT row_hash FROM audit_event WHERE id = :id").param("id", c.headId())
                .query((rs, n) -> rs.getBytes(1)).optional();
        if (hash.isEmpty()) {
            return "the row it names (" + c.headId() + ") is missing";
        }
        if (!MessageDigest.isEqual(hash.get(), c.headHash())) {
            return "the row it names (" + c.headId() + ") no longer has the signed hash";
        }
        return null;
    }

    private static AuditVerification broken(long rows, long lastId, byte[] prev, long brokenId, String reason) {
        return new AuditVerification(false, rows, lastId, hex(prev), false, brokenId, "row " + brokenId + ": " + reason,
                null);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(AuditRepository.event(rs), rs.getBytes("prev_hash"), rs.getBytes("row_hash"));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private record Head(long id, byte[] hash) {
    }

    private record Row(AuditEvent event, byte[] prevHash, byte[] rowHash) {
    }

    private record Checkpoint(long id, java.time.Instant createdAt, long headId, byte[] headHash, String keyId,
                              byte[] signature) {
    }
}
