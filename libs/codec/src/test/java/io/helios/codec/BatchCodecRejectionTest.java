package io.helios.codec;

import io.helios.codec.BatchCodecException.Reason;
import io.helios.core.change.TableId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad input is refused with a precise reason, and never yields a batch. */
class BatchCodecRejectionTest {

    private final BatchCodec codec = CodecFixtures.codec();
    private final byte[] encoded = codec.encode(CodecFixtures.small());

    private static Reason reasonOf(BatchCodec c, byte[] bytes) {
        BatchCodecException e = catchThrowableOfType(BatchCodecException.class, () -> c.decode(bytes));
        assertThat(e).as("decoding must fail").isNotNull();
        return e.reason();
    }

    @Test
    void headerCarriesTheBatchIdentity() {
        ChangeBatch back = codec.decode(encoded);
        assertThat(back.tenant()).isEqualTo("acme");
        assertThat(back.replication()).isEqualTo("r1");
        assertThat(back.sequence()).isEqualTo(7);
    }

    @Test
    void everyFlippedByteIsRejected() {
        for (int i = 0; i < encoded.length; i++) {
            for (int bit : new int[]{0x01, 0x80, 0xFF}) {
                byte[] bad = encoded.clone();
                bad[i] ^= (byte) bit;
                Reason r = reasonOf(codec, bad);
                assertThat(r).as("byte %d ^ %x", i, bit).isIn(Reason.TAMPERED, Reason.CORRUPT, Reason.TRUNCATED,
                        Reason.UNKNOWN_KEY, Reason.UNKNOWN_VERSION, Reason.TOO_LARGE, Reason.UNKNOWN_DICTIONARY);
            }
        }
    }

    @Test
    void flippedCiphertextIsTampered() {
        byte[] bad = encoded.clone();
        bad[bad.length - 20] ^= 1;
        assertThat(reasonOf(codec, bad)).isEqualTo(Reason.TAMPERED);
        byte[] tenant = encoded.clone();
        tenant[28 + 1] ^= 1; // first byte of the tenant name
        assertThat(reasonOf(codec, tenant)).isEqualTo(Reason.TAMPERED);
    }

    @Test
    void everyTruncationIsRejectedAsTruncated() {
        for (int len = 0; len < encoded.length; len++) {
            assertThat(reasonOf(codec, Arrays.copyOf(encoded, len))).as("length %d", len).isEqualTo(Reason.TRUNCATED);
        }
    }

    @Test
    void trailingBytesAndForeignBytesAreCorrupt() {
        assertThat(reasonOf(codec, Arrays.copyOf(encoded, encoded.length + 1))).isEqualTo(Reason.CORRUPT);
        assertThat(reasonOf(codec, "{\"op\":\"c\"}".getBytes())).isEqualTo(Reason.CORRUPT);
    }

    @Test
    void unknownVersionIsNamed() {
        byte[] v2 = encoded.clone();
        v2[4] = 2;
        BatchCodecException e = catchThrowableOfType(BatchCodecException.class, () -> codec.decode(v2));
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VERSION);
        assertThat(e).hasMessageContaining("version 2");
    }

    @Test
    void unknownKeyIsRefused() {
        BatchCodec other = new BatchCodec(Keyring.of("k9", CodecFixtures.key(9)), CodecOptions.defaults());
        assertThatThrownBy(() -> other.decode(encoded)).isInstanceOf(BatchCodecException.class)
                .hasMessageContaining("'k1'").hasMessageContaining("not in the keyring");
    }

    @Test
    void sameKeyIdWithAnotherKeyIsTampered() {
        BatchCodec impostor = new BatchCodec(Keyring.of("k1", CodecFixtures.key(2)), CodecOptions.defaults());
        assertThat(reasonOf(impostor, encoded)).isEqualTo(Reason.TAMPERED);
    }

    @Test
    void rotationSealsWithTheNewestKeyAndRetiredKeysAreRefused() {
        Keyring rotated = CodecFixtures.KEYS.rotate("k2", CodecFixtures.key(2));
        BatchCodec next = codec.withKeyring(rotated);
        byte[] fresh = next.encode(CodecFixtures.small());
        assertThat(new String(fresh, 28, 40, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("k2");
        assertThat(next.decode(encoded)).isEqualTo(CodecFixtures.small());
        BatchCodec retired = next.withKeyring(rotated.retire("k1"));
        assertThat(retired.decode(fresh)).isEqualTo(CodecFixtures.small());
        BatchCodecException e = catchThrowableOfType(BatchCodecException.class, () -> retired.decode(encoded));
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(e).hasMessageContaining("retired");
        assertThat(reasonOf(codec, fresh)).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void segmentsOfALargeBatchCannotBeReorderedOrDropped() {
        java.util.Random rnd = new java.util.Random(3);
        String[][] rows = new String[400][];
        for (int i = 0; i < rows.length; i++) {
            byte[] noise = new byte[300];
            rnd.nextBytes(noise);
            rows[i] = new String[]{Integer.toString(i), java.util.Base64.getEncoder().encodeToString(noise)};
        }
        ChangeBatch big = CodecFixtures.batch(new int[]{23, 25}, rows);
        byte[] bytes = codec.encode(big);
        assertThat(bytes.length).as("several 16 KiB segments").isGreaterThan(3 * Sealing.SEGMENT);
        assertThat(codec.decode(bytes)).isEqualTo(big);
        int seg = Sealing.SEGMENT + Sealing.TAG_BYTES;
        int first = headerLength(bytes);
        byte[] swapped = bytes.clone();
        System.arraycopy(bytes, first + seg, swapped, first, seg);
        System.arraycopy(bytes, first, swapped, first + seg, seg);
        assertThat(reasonOf(codec, swapped)).isEqualTo(Reason.TAMPERED);
    }

    /** Header length: the fixed part, three length-prefixed names, the nonce. */
    private static int headerLength(byte[] b) {
        int p = 28;
        for (int i = 0; i < 3; i++) {
            p += 1 + (b[p] & 0xFF);
        }
        return p + 12;
    }

    @Test
    void everyBatchHasAFreshNonce() {
        byte[] again = codec.encode(CodecFixtures.small());
        assertThat(again).isNotEqualTo(encoded);
        assertThat(codec.decode(again)).isEqualTo(codec.decode(encoded));
    }

    @Test
    void batchesOverTheBoundAreRefusedOnBothSides() {
        String[][] rows = new String[3000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new String[]{Integer.toString(i), "row " + i + " " + "x".repeat(i % 17)};
        }
        ChangeBatch big = CodecFixtures.batch(new int[]{23, 25}, rows);
        byte[] bytes = codec.encode(big);
        BatchCodec strict = new BatchCodec(CodecFixtures.KEYS, CodecOptions.defaults().withMaxDecodedBytes(4096));
        BatchCodecException onDecode = catchThrowableOfType(BatchCodecException.class, () -> strict.decode(bytes));
        assertThat(onDecode.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(onDecode).hasMessageContaining("bound is 4096");
        BatchCodecException onEncode = catchThrowableOfType(BatchCodecException.class, () -> strict.encode(big));
        assertThat(onEncode.reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void declaredSizeIsCheckedBeforeDecompressing() {
        byte[] bomb = encoded.clone();
        bomb[20] = 0x7F; // decoded length 2 GiB; the header check fires before any zstd call or decryption
        assertThat(reasonOf(codec, bomb)).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void trainedDictionaryRoundTripsAndUnknownDictionaryIsRefused() {
        List<ChangeBatch> earlier = new ArrayList<>();
        for (int seed = 0; seed < 200; seed++) {
            String[][] rows = new String[20][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new String[]{Integer.toString(seed * 100 + i), "customer-" + (i * seed % 37), "{\"sku\": \"A-"
                        + (i % 9) + "\", \"qty\": " + (i % 4) + "}"};
            }
            earlier.add(CodecFixtures.batch(new int[]{23, 25, 3802}, rows));
        }
        ZstdDictionary dict = BatchCodec.trainDictionary(42, earlier, 4096);
        InMemoryDictionaryStore store = new InMemoryDictionaryStore().put(new TableId("public", "t"), dict);
        BatchCodec withDict = new BatchCodec(CodecFixtures.KEYS, CodecOptions.defaults().withDictionaries(store));
        ChangeBatch batch = earlier.get(7);
        byte[] small = withDict.encode(batch);
        assertThat(small.length).isLessThan(codec.encode(batch).length);
        assertThat(withDict.decode(small)).isEqualTo(batch);
        BatchCodecException e = catchThrowableOfType(BatchCodecException.class, () -> codec.decode(small));
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_DICTIONARY);
        assertThat(e).hasMessageContaining("dictionary 42");
    }
}
