package io.helios.codec;

/**
 * How hard zstd works on a batch; mirrors the QoS policy's compression level (LOW, MEDIUM,
 * HIGH). The codec records the level in the batch header; decoding does not depend on it.
 */
public enum CompressionLevel {
    LOW(1), MEDIUM(3), HIGH(9);

    private final int zstdLevel;

    CompressionLevel(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    public int zstdLevel() {
        return zstdLevel;
    }
}
