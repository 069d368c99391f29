package io.helios.codec.internal;

/**
 * The column encodings of format version 1. The id is written before each column chunk and
 * is the bit of the header's "encodings used" mask; ids are part of the format and never change.
 */
public enum Encoding {
    /** Length-prefixed bytes, the fallback for any text. */
    PLAIN(0),
    /** Distinct values once, then an index per value, run-length coded when runs pay. */
    DICTIONARY(1),
    /** Canonical integers: first value, then zig-zag varint differences. */
    DELTA(2),
    /** Canonical integers: first value and difference, then zig-zag differences of differences. */
    DELTA_OF_DELTA(3),
    /** float4/float8 in PostgreSQL's shortest text form, as XOR of successive IEEE bits (Gorilla). */
    GORILLA(4),
    /** Canonical decimals up to 18 digits: scale per value (run-length), unscaled value as integers. */
    DECIMAL(5),
    /** ISO timestamps, timestamptz and dates: microseconds (or days) as integers, UTC offset per value. */
    TIMESTAMP(6),
    /** Canonical lowercase UUIDs as 16 bytes. */
    UUID(7),
    /** bytea in hex output form as raw bytes. */
    BYTEA_HEX(8);

    private static final Encoding[] BY_ID = values();

    private final int id;

    Encoding(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public int bit() {
        return 1 << id;
    }

    /** The encoding with this id, or null. */
    public static Encoding byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** Names of the encodings in a mask, for messages and docs. */
    public static String describe(int mask) {
        StringBuilder b = new StringBuilder();
        for (Encoding e : BY_ID) {
            if ((mask & e.bit()) != 0) {
                b.append(b.length() == 0 ? "" : ",").append(e.name());
            }
        }
        return b.toString();
    }
}
