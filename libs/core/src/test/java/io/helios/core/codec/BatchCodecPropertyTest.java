package io.helios.core.codec;

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
            RandomBatches gen = new RandomBatches(seed);
            for (int type : RandomBatches.TYPES) {
                String[] values = new String[300];
                for (int i = 0; i < values.length; i++) {
                    values[i] = gen.value(type, i % 2 == 0);
                }
                ChangeBatch batch = CodecFixtures.column(type, values);
                BatchCodec codec = CodecFixtures.codec();
                assertThat(codec.decode(codec.encode(batch))).as("type %d", type).isEqualTo(batch);
            }
        }));
    }
}
