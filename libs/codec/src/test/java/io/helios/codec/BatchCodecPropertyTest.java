package io.helios.codec;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: for any batch (generated schemas, values, row image forms), decode(encode(b))
 * equals b, at every compression level. Each case names its seed; rerun a failure with
 * {@code new RandomBatches(seed)}.
 */
class BatchCodecPropertyTest {

    private static final int CASES = 400;

    @TestFactory
    Stream<DynamicTest> everyGeneratedBatchRoundTrips() {
        BatchCodec[] codecs = {
                new BatchCodec(CodecFixtures.KEYS, CodecOptions.defaults().withLevel(CompressionLevel.LOW)),
                new BatchCodec(CodecFixtures.KEYS, CodecOptions.defaults()),
                new BatchCodec(CodecFixtures.KEYS, CodecOptions.defaults().withLevel(CompressionLevel.HIGH))};
        return LongStream.range(0, CASES).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            ChangeBatch batch = new RandomBatches(seed).batch();
            BatchCodec codec = codecs[(int) (seed % 3)];
            ChangeBatch back = codec.decode(codec.encode(batch));
            assertThat(back).isEqualTo(batch);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyGeneratedValueRoundTripsInEveryType() {
        return LongStream.range(0, 60).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            boolean oddText = seed % 2 == 0;
            RandomBatches gen = new RandomBatches(seed, oddText);
            for (int type : RandomBatches.TYPES) {
                String[] values = new String[300];
                for (int i = 0; i < values.length; i++) {
                    values[i] = gen.value(type, i % 2 == 0);
                }
                ChangeBatch batch = CodecFixtures.column(type, values);
                BatchCodec codec = CodecFixtures.codec();
                byte[] encoded = codec.encode(batch);
                assertThat(codec.decode(encoded)).as("type %d", type).isEqualTo(batch);
                if (!oddText && TYPED.containsKey(type)) {
                    // the batch's only column: no byte-level encoding in the header means it went typed
                    assertThat(encodings(encoded)).as("type %d", type).containsAnyOf(TYPED.get(type))
                            .doesNotContain("PLAIN").doesNotContain("DICTIONARY");
                }
            }
        }));
    }

    /** The typed encoding a column of canonical values of the type must get. */
    private static final java.util.Map<Integer, String[]> TYPED = java.util.Map.of(
            21, new String[]{"DELTA"}, 23, new String[]{"DELTA"}, 20, new String[]{"DELTA"}, 26, new String[]{"DELTA"},
            1700, new String[]{"DECIMAL"}, 1114, new String[]{"TIMESTAMP"}, 1184, new String[]{"TIMESTAMP"},
            1082, new String[]{"TIMESTAMP"}, 2950, new String[]{"UUID"}, 17, new String[]{"BYTEA_HEX"});

    private static String encodings(byte[] encoded) {
        return io.helios.codec.internal.Encoding.describe(((encoded[6] & 0xFF) << 8) | (encoded[7] & 0xFF));
    }
}
