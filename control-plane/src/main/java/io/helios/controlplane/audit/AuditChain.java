package io.helios.controlplane.audit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The audit hash chain's arithmetic, mirrored from the database function {@code audit_canonical}
 * (Flyway V25): {@code row_hash = sha256(prev_hash || "v1|id|epoch-micros|subject|method|path|
 * target_type|target_id|tenant_id|status")}, a text field written {@code -} when null, else
 * {@code <octet length>:<value>}. The first row's {@code prev_hash} is 32 zero bytes. Checkpoints
 * are signed with HMAC-SHA256 under a key derived from a secrets key.
 */
final class AuditChain {

    static final byte[] GENESIS = new byte[32];

    private AuditChain() {
    }

    static byte[] hash(byte[] prev, AuditEvent e) {
        StringBuilder s = new StringBuilder("v1|").append(e.id()).append('|').append(micros(e.occurredAt()));
        for (String field : new String[] {e.subject(), e.method(), e.path(), e.targetType(), e.targetId(), e.tenantId()}) {
            s.append('|');
            if (field == null) {
                s.append('-');
            } else {
                s.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field);
            }
        }
        s.append('|').append(e.status());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev);
            return sha.digest(s.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    /** What a checkpoint signs: the head's id and hash and the checkpoint's time. */
    static byte[] checkpointPayload(long headId, byte[] headHash, Instant at) {
        return ("helios-audit-checkpoint|" + headId + "|" + HexFormat.of().formatHex(headHash) + "|" + at.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC-SHA256 of {@code payload} under the checkpoint key derived from {@code secretsKey}. */
    static byte[] sign(byte[] secretsKey, byte[] payload) {
        return hmac(hmac(secretsKey, "helios-audit-checkpoint-key-v1".getBytes(StandardCharsets.UTF_8)), payload);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
