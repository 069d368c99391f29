package io.helios.codec;

/**
 * How batches are encoded and what a decoder accepts. Immutable.
 *
 * @param level           zstd effort (from the replication's QoS policy)
 * @param maxDecodedBytes bound on a batch's decoded size: the columnar body (checked against the
 *                        header before anything is decompressed) and, separately, the row text it
 *                        expands to; larger batches are refused with {@code TOO_LARGE} on both sides
 * @param dictionaries    zstd dictionaries by table (encoding) and by id (decoding); {@link
 *                        DictionaryStore#NONE} for none
 */
public record CodecOptions(CompressionLevel level, int maxDecodedBytes, DictionaryStore dictionaries) {

    public static final int DEFAULT_MAX_DECODED_BYTES = 64 << 20;

    public CodecOptions {
        if (level == null) {
            throw new IllegalArgumentException("level must be set");
        }
        if (maxDecodedBytes < 1024) {
            throw new IllegalArgumentException("maxDecodedBytes must be at least 1024, got " + maxDecodedBytes);
        }
        if (dictionaries == null) {
            dictionaries = DictionaryStore.NONE;
        }
    }

    public static CodecOptions defaults() {
        return new CodecOptions(CompressionLevel.MEDIUM, DEFAULT_MAX_DECODED_BYTES, DictionaryStore.NONE);
    }

    public CodecOptions withLevel(CompressionLevel l) {
        return new CodecOptions(l, maxDecodedBytes, dictionaries);
    }

    public CodecOptions withMaxDecodedBytes(int max) {
        return new CodecOptions(level, max, dictionaries);
    }

    public CodecOptions withDictionaries(DictionaryStore store) {
        return new CodecOptions(level, maxDecodedBytes, store);
    }
}
