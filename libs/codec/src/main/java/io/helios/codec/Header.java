package io.helios.codec;

import java.nio.charset.StandardCharsets;

import static io.helios.codec.BatchCodecException.Reason.CORRUPT;
import static io.helios.codec.BatchCodecException.Reason.TRUNCATED;
import static io.helios.codec.BatchCodecException.Reason.UNKNOWN_VERSION;

/**
 * The clear-text header of an encoded batch, all of it authenticated as AES-GCM additional data:
 * <pre>
 *   magic "HLCB" (4) | version (1) | level (1) | encodings used (2) | sequence (8)
 *   | dictionary id (4, 0 = none) | decoded length (4) | payload length (4)
 *   | tenant (1 + n) | replication (1 + n) | key id (1 + n) | nonce (12)
 * </pre>
 * followed by {@code payload length} bytes: the zstd-compressed body sealed by {@link Sealing}
 * (16 KiB segments, each followed by its 16-byte tag). Integers big-endian; strings as a length byte and UTF-8.
 */
record Header(int version, CompressionLevel level, int encodings, long sequence, int dictionaryId,
              int decodedLength, int payloadLength, String tenant, String replication, String keyId, byte[] nonce) {

    static final byte[] MAGIC = {'H', 'L', 'C', 'B'};
    static final int VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final int FIXED = 4 + 1 + 1 + 2 + 8 + 4 + 4 + 4;

    /** Bytes this header takes. */
    int size() {
        return FIXED + 3 + utf8(tenant).length + utf8(replication).length + utf8(keyId).length + NONCE_BYTES;
    }

    static void checkName(String what, String value) {
        if (utf8(value).length > 255) {
            throw new IllegalArgumentException(what + " must have at most 255 UTF-8 bytes");
        }
    }

    /** Writes the header at the start of {@code out}; returns its length. */
    int write(byte[] out) {
        int p = 0;
        System.arraycopy(MAGIC, 0, out, 0, 4);
        p += 4;
        out[p++] = (byte) version;
        out[p++] = (byte) level.ordinal();
        p = putInt(out, p, encodings, 2);
        p = putInt(out, p, sequence, 8);
        p = putInt(out, p, dictionaryId, 4);
        p = putInt(out, p, decodedLength, 4);
        p = putInt(out, p, payloadLength, 4);
        p = putString(out, p, tenant);
        p = putString(out, p, replication);
        p = putString(out, p, keyId);
        System.arraycopy(nonce, 0, out, p, NONCE_BYTES);
        return p + NONCE_BYTES;
    }

    /**
     * Reads a header, checking magic, version and that the input is long enough for the header
     * and its declared payload (and not longer).
     */
    static Header read(byte[] in) {
        int n = in.length;
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= n) {
                throw new BatchCodecException(TRUNCATED, "batch of " + n + " bytes ends inside the magic");
            }
            if (in[i] != MAGIC[i]) {
                throw new BatchCodecException(CORRUPT, "not a change batch (wrong magic)");
            }
        }
        if (n < 5) {
            throw new BatchCodecException(TRUNCATED, "batch of " + n + " bytes ends before its format version");
        }
        int version = in[4] & 0xFF;
        if (version != VERSION) {
            throw new BatchCodecException(UNKNOWN_VERSION, "batch format version " + version + "; this codec reads version "
                    + VERSION);
        }
        if (n < FIXED) {
            throw new BatchCodecException(TRUNCATED, "batch of " + n + " bytes ends inside its header");
        }
        int levelOrdinal = in[5] & 0xFF;
        if (levelOrdinal >= CompressionLevel.values().length) {
            throw new BatchCodecException(CORRUPT, "unknown compression level " + levelOrdinal);
        }
        int encodings = (int) getInt(in, 6, 2);
        long sequence = getInt(in, 8, 8);
        int dictionaryId = (int) getInt(in, 16, 4);
        int decoded = (int) getInt(in, 20, 4);
        int payload = (int) getInt(in, 24, 4);
        if (decoded < 0 || payload < TAG_BYTES) {
            throw new BatchCodecException(CORRUPT, "header declares impossible lengths (decoded " + decoded + ", payload "
                    + payload + ")");
        }
        int[] pos = {FIXED};
        String tenant = getString(in, pos);
        String replication = getString(in, pos);
        String keyId = getString(in, pos);
        if (n - pos[0] < NONCE_BYTES) {
            throw new BatchCodecException(TRUNCATED, "batch of " + n + " bytes ends inside its header");
        }
        byte[] nonce = java.util.Arrays.copyOfRange(in, pos[0], pos[0] + NONCE_BYTES);
        long expected = (long) pos[0] + NONCE_BYTES + payload;
        if (n < expected) {
            throw new BatchCodecException(TRUNCATED, "batch of " + n + " bytes is shorter than the " + expected
                    + " its header declares");
        }
        if (n > expected) {
            throw new BatchCodecException(CORRUPT, "batch of " + n + " bytes is longer than the " + expected
                    + " its header declares");
        }
        return new Header(version, CompressionLevel.values()[levelOrdinal], encodings, sequence, dictionaryId, decoded,
                payload, tenant, replication, keyId, nonce);
    }

    private static String getString(byte[] in, int[] pos) {
        int p = pos[0];
        if (p >= in.length) {
            throw new BatchCodecException(TRUNCATED, "batch of " + in.length + " bytes ends inside its header");
        }
        int len = in[p] & 0xFF;
        if (in.length - p - 1 < len) {
            throw new BatchCodecException(TRUNCATED, "batch of " + in.length + " bytes ends inside its header");
        }
        pos[0] = p + 1 + len;
        return new String(in, p + 1, len, StandardCharsets.UTF_8);
    }

    private static int putString(byte[] out, int p, String s) {
        byte[] b = utf8(s);
        out[p++] = (byte) b.length;
        System.arraycopy(b, 0, out, p, b.length);
        return p + b.length;
    }

    private static int putInt(byte[] out, int p, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out[p++] = (byte) (v >>> (8 * i));
        }
        return p;
    }

    private static long getInt(byte[] in, int p, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (in[p + i] & 0xFF);
        }
        return v;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
