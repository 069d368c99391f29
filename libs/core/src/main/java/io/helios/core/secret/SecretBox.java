package io.helios.core.secret;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Seals small secrets (database passwords) with AES-256-GCM for storage at rest.
 *
 * <p>Sealed form: {@code version(1) | keyIdLength(1) | keyId | nonce(12) | ciphertext+tag(16)}.
 * The caller's context (for example {@code endpoint:<id>}) is bound as additional data, so a
 * sealed value copied to another row does not open. New values are sealed with the active
 * key; values sealed under older keys still open while their key is configured.
 * Thread-safe; never logs or prints a secret.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String activeKeyId;
    private final Map<String, SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param activeKeyId   id of the key that seals new values
     * @param base64Keys    key id to base64-encoded 32-byte key
     */
    public SecretBox(String activeKeyId, Map<String, String> base64Keys) {
        Objects.requireNonNull(activeKeyId, "activeKeyId");
        if (activeKeyId.isEmpty() || activeKeyId.length() > 64) {
            throw new IllegalArgumentException("key id must have 1 to 64 characters");
        }
        this.keys = Map.copyOf(base64Keys.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> toKey(e.getKey(), e.getValue()))));
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active key id '" + activeKeyId + "' has no key configured");
        }
        this.activeKeyId = activeKeyId;
    }

    private static SecretKeySpec toKey(String id, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key '" + id + "' is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("key '" + id + "' must be 32 bytes (AES-256), got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    public byte[] seal(String plaintext, String context) {
        byte[] id = activeKeyId.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(id, context));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(2 + id.length + NONCE_BYTES + ct.length)
                    .put(VERSION).put((byte) id.length).put(id).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public String open(byte[] sealed, String context) {
        try {
            ByteBuffer in = ByteBuffer.wrap(sealed);
            if (in.get() != VERSION) {
                throw new SecretException("sealed secret has an unknown format version");
            }
            byte[] id = new byte[in.get() & 0xFF];
            in.get(id);
            String keyId = new String(id, StandardCharsets.UTF_8);
            SecretKeySpec key = keys.get(keyId);
            if (key == null) {
                throw new SecretException("sealed secret uses key '" + keyId + "', which is not configured");
            }
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] ct = new byte[in.remaining()];
            in.get(ct);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(id, context));
            return new String(c.doFinal(ct), StandardCharsets.UTF_8);
        } catch (java.nio.BufferUnderflowException e) {
            throw new SecretException("sealed secret is truncated");
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretException("sealed secret failed authentication (wrong key, context or tampered)");
        } catch (GeneralSecurityException e) {
            throw new SecretException("sealed secret could not be opened: " + e.getClass().getSimpleName());
        }
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    private static byte[] aad(byte[] keyId, String context) {
        byte[] ctx = context.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + keyId.length + ctx.length).put(VERSION).put(keyId).put(ctx).array();
    }

    /** A sealed value could not be opened; the message never contains secret material. */
    public static final class SecretException extends RuntimeException {
        public SecretException(String message) {
            super(message);
        }
    }
}
