package io.helios.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictTrainer;
import com.github.luben.zstd.ZstdException;
import io.helios.codec.internal.BodyReader;
import io.helios.codec.internal.BodyWriter;
import io.helios.codec.internal.Corrupt;
import io.helios.core.change.Relation;
import io.helios.core.change.SourceTransaction;

import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static io.helios.codec.BatchCodecException.Reason.CORRUPT;
import static io.helios.codec.BatchCodecException.Reason.TAMPERED;
import static io.helios.codec.BatchCodecException.Reason.TOO_LARGE;
import static io.helios.codec.BatchCodecException.Reason.UNKNOWN_DICTIONARY;

/**
 * Encodes a {@link ChangeBatch} for the trip between regions and decodes it on the other side:
 * a columnar body (each table's changes column by column, each column in an encoding chosen
 * from its type and values), compressed with zstd (optionally with a trained dictionary) and
 * sealed with AES-256-GCM (in 16 KiB segments, see {@link Sealing}) under the keyring's newest key, behind a versioned header that is
 * authenticated with it. See {@code docs/codec.md} for the format.
 *
 * <p>Decoding returns the whole batch, every value byte for byte as it was encoded, or throws
 * {@link BatchCodecException}; it never returns part of a batch. Sizes are checked against
 * {@link CodecOptions#maxDecodedBytes()} before anything is decompressed.
 *
 * <p>Immutable and thread-safe; each call works on its own buffers.
 */
public final class BatchCodec {


    private final Keyring keyring;
    private final CodecOptions options;
    private final SecureRandom random = new SecureRandom();

    public BatchCodec(Keyring keyring, CodecOptions options) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The same codec with another keyring (after a rotation or a retirement). */
    public BatchCodec withKeyring(Keyring next) {
        return new BatchCodec(next, options);
    }

    public CodecOptions options() {
        return options;
    }

    /**
     * @throws BatchCodecException {@code TOO_LARGE} when the batch exceeds the configured bound
     * @throws IllegalArgumentException when the batch is malformed (an image that does not match
     *                                  its relation, a transaction without commit LSN or time)
     */
    public byte[] encode(ChangeBatch batch) {
        Header.checkName("tenant", batch.tenant());
        Header.checkName("replication", batch.replication());
        BodyWriter body = new BodyWriter(16 * 1024);
        body.write(batch.transactions());
        int max = options.maxDecodedBytes();
        if (body.size() > max || body.typedTextBytes() > max) {
            throw new BatchCodecException(TOO_LARGE, "batch " + batch.sequence() + " encodes to " + body.size()
                    + " bytes (" + body.typedTextBytes() + " bytes of typed text); the bound is " + max);
        }
        Relation busiest = body.busiestRelation();
        ZstdDictionary dictionary = busiest == null ? null : options.dictionaries().forTable(busiest.table()).orElse(null);
        int level = options.level().zstdLevel();
        byte[] compressed = new byte[(int) Zstd.compressBound(body.size())];
        long clen = dictionary == null
                ? Zstd.compressByteArray(compressed, 0, compressed.length, body.bytes(), 0, body.size(), level)
                : Zstd.compressFastDict(compressed, 0, body.bytes(), 0, body.size(), dictionary.compressor(level));
        if (Zstd.isError(clen)) {
            throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(clen));
        }
        byte[] nonce = new byte[Header.NONCE_BYTES];
        random.nextBytes(nonce);
        Header header = new Header(Header.VERSION, options.level(), body.encodingsUsed(), batch.sequence(),
                dictionary == null ? 0 : dictionary.id(), body.size(), Sealing.sealedLength((int) clen), batch.tenant(),
                batch.replication(), keyring.newestKeyId(), nonce);
        byte[] out = new byte[header.size() + Sealing.sealedLength((int) clen)];
        int headerLength = header.write(out);
        try {
            Sealing.seal(keyring.newestKey(), nonce, compressed, (int) clen, out, headerLength, headerLength);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
        return out;
    }

    /**
     * @throws BatchCodecException with the reason the bytes were refused
     */
    public ChangeBatch decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Header h = Header.read(bytes);
        int max = options.maxDecodedBytes();
        if (h.decodedLength() > max) {
            throw new BatchCodecException(TOO_LARGE, "batch " + h.sequence() + " declares " + h.decodedLength()
                    + " decoded bytes; the bound is " + max);
        }
        SecretKey key = keyring.keyFor(h.keyId());
        ZstdDictionary dictionary = null;
        if (h.dictionaryId() != 0) {
            dictionary = options.dictionaries().byId(h.dictionaryId()).orElseThrow(() -> new BatchCodecException(
                    UNKNOWN_DICTIONARY, "batch " + h.sequence() + " was compressed with zstd dictionary " + h.dictionaryId()
                    + ", which this side does not have"));
        }
        byte[] compressed = open(bytes, h, key);
        byte[] body = new byte[h.decodedLength()];
        long n = dictionary == null
                ? Zstd.decompressByteArray(body, 0, body.length, compressed, 0, compressed.length)
                : Zstd.decompressFastDict(body, 0, compressed, 0, compressed.length, dictionary.decompressor());
        if (Zstd.isError(n) || n != body.length) {
            throw new BatchCodecException(CORRUPT, "batch " + h.sequence() + " does not decompress to the "
                    + body.length + " bytes its header declares"
                    + (Zstd.isError(n) ? " (" + Zstd.getErrorName(n) + ")" : " (got " + n + ")"));
        }
        List<SourceTransaction> txs;
        try {
            txs = new BodyReader(body, body.length, max, h.encodings()).read();
        } catch (Corrupt e) {
            throw new BatchCodecException(e.isTooLarge() ? TOO_LARGE : CORRUPT, "batch " + h.sequence() + ": "
                    + e.getMessage());
        } catch (RuntimeException e) {
            throw new BatchCodecException(CORRUPT, "batch " + h.sequence() + " has a malformed body: " + e, e);
        }
        return new ChangeBatch(h.tenant(), h.replication(), h.sequence(), txs);
    }

    private static byte[] open(byte[] bytes, Header h, SecretKey key) {
        int headerLength = bytes.length - h.payloadLength();
        try {
            return Sealing.open(key, h.nonce(), bytes, headerLength, h.payloadLength());
        } catch (AEADBadTagException e) {
            throw new BatchCodecException(TAMPERED, "batch " + h.sequence() + " failed authentication (header or "
                    + "ciphertext changed, or sealed with another key under id '" + h.keyId() + "')");
        } catch (GeneralSecurityException e) {
            throw new BatchCodecException(CORRUPT, "batch " + h.sequence() + " could not be decrypted: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Trains a zstd dictionary for a table from earlier batches of it (their columnar bodies, as
     * the codec compresses them). Give it a few dozen batches or more; small batches gain most.
     *
     * @throws IllegalArgumentException when zstd cannot train from these samples (too few, too small)
     */
    public static ZstdDictionary trainDictionary(int id, List<ChangeBatch> samples, int dictionaryBytes) {
        byte[][] bodies = new byte[samples.size()][];
        int total = 0;
        for (int i = 0; i < bodies.length; i++) {
            BodyWriter w = new BodyWriter(4096);
            w.write(samples.get(i).transactions());
            bodies[i] = Arrays.copyOf(w.bytes(), w.size());
            total += w.size();
        }
        ZstdDictTrainer trainer = new ZstdDictTrainer(Math.max(total, 1), dictionaryBytes);
        for (byte[] b : bodies) {
            trainer.addSample(b);
        }
        try {
            return new ZstdDictionary(id, trainer.trainSamples());
        } catch (ZstdException e) {
            throw new IllegalArgumentException("zstd could not train a dictionary from " + samples.size() + " batches: "
                    + e.getMessage(), e);
        }
    }
}
