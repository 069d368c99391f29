package io.helios.codec;

import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A zstd dictionary with the id batches carry in their header. Build one with {@link
 * BatchCodec#trainDictionary} from earlier batches of a table. Thread-safe; the prepared
 * native forms are built once and kept.
 */
public final class ZstdDictionary {

    private final int id;
    private final byte[] bytes;
    private final ConcurrentHashMap<Integer, ZstdDictCompress> compressors = new ConcurrentHashMap<>();
    private volatile ZstdDictDecompress decompressor;

    /** @param id positive; 0 means "no dictionary" in the header */
    public ZstdDictionary(int id, byte[] bytes) {
        if (id <= 0) {
            throw new IllegalArgumentException("dictionary id must be positive, got " + id);
        }
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("dictionary must not be empty");
        }
        this.id = id;
        this.bytes = bytes.clone();
    }

    public int id() {
        return id;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    ZstdDictCompress compressor(int level) {
        return compressors.computeIfAbsent(level, l -> new ZstdDictCompress(bytes, l));
    }

    ZstdDictDecompress decompressor() {
        ZstdDictDecompress d = decompressor;
        if (d == null) {
            d = new ZstdDictDecompress(bytes);
            decompressor = d;
        }
        return d;
    }
}
