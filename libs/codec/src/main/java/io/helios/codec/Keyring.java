package io.helios.codec;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * AES-256 keys by id, for batch encryption with rotation. New batches are sealed with the
 * newest key (the one added last); batches sealed under an older key still open until that key
 * is retired, after which they are refused ({@code UNKNOWN_KEY}, saying the key was retired).
 *
 * <p>Immutable: {@link #rotate} and {@link #retire} return a new keyring, so a codec holding
 * one never sees it change under a running encode. Never prints key material.
 */
public final class Keyring {

    private static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final Set<String> retired;
    private final String newest;

    private Keyring(Map<String, SecretKey> keys, Set<String> retired, String newest) {
        this.keys = keys;
        this.retired = retired;
        this.newest = newest;
    }

    /** A keyring holding one key, which seals new batches. */
    public static Keyring of(String keyId, byte[] key) {
        return new Keyring(Map.of(), Set.of(), null).rotate(keyId, key);
    }

    /** A keyring from a base64-encoded key. */
    public static Keyring ofBase64(String keyId, String base64Key) {
        return of(keyId, decode(keyId, base64Key));
    }

    /** A new keyring where {@code key} is added and becomes the newest; the others still open. */
    public Keyring rotate(String keyId, byte[] key) {
        checkId(keyId);
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("key '" + keyId + "' must be 32 bytes (AES-256), got " + key.length);
        }
        if (keys.containsKey(keyId) || retired.contains(keyId)) {
            throw new IllegalArgumentException("key id '" + keyId + "' was used before; a key id is never reused");
        }
        Map<String, SecretKey> next = new LinkedHashMap<>(keys);
        next.put(keyId, new SecretKeySpec(key.clone(), "AES"));
        return new Keyring(next, retired, keyId);
    }

    /** A new keyring without {@code keyId}: batches sealed under it no longer open. */
    public Keyring retire(String keyId) {
        if (!keys.containsKey(keyId)) {
            throw new IllegalArgumentException("key id '" + keyId + "' is not in the keyring");
        }
        if (keyId.equals(newest)) {
            throw new IllegalArgumentException("key '" + keyId + "' is the newest; rotate to another key before retiring it");
        }
        Map<String, SecretKey> next = new LinkedHashMap<>(keys);
        next.remove(keyId);
        Set<String> gone = new LinkedHashSet<>(retired);
        gone.add(keyId);
        return new Keyring(next, gone, newest);
    }

    /** Id of the key that seals new batches. */
    public String newestKeyId() {
        return newest;
    }

    SecretKey newestKey() {
        return keys.get(newest);
    }

    /** The key for {@code keyId}, or a {@code UNKNOWN_KEY} refusal saying whether it was retired. */
    SecretKey keyFor(String keyId) {
        SecretKey key = keys.get(keyId);
        if (key != null) {
            return key;
        }
        if (retired.contains(keyId)) {
            throw new BatchCodecException(BatchCodecException.Reason.UNKNOWN_KEY, "batch is sealed with key '" + keyId
                    + "', which was retired");
        }
        throw new BatchCodecException(BatchCodecException.Reason.UNKNOWN_KEY, "batch is sealed with key '" + keyId
                + "', which is not in the keyring");
    }

    private static void checkId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        int n = keyId.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > 255) {
            throw new IllegalArgumentException("key id must have 1 to 255 UTF-8 bytes");
        }
    }

    private static byte[] decode(String keyId, String base64) {
        try {
            return Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key '" + keyId + "' is not valid base64");
        }
    }

    @Override
    public String toString() {
        return "Keyring[newest=" + newest + ", keys=" + keys.keySet() + ", retired=" + retired + "]";
    }
}
