package io.helios.codec;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Keys, codecs and small batches shared by the codec tests. */
final class CodecFixtures {

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        k[0] = (byte) (seed * 31);
        return k;
    }

    static final Keyring KEYS = Keyring.of("k1", key(1));

    static BatchCodec codec() {
        return new BatchCodec(KEYS, CodecOptions.defaults());
    }

    /** One table, one column per given type, one row per given value row. */
    static ChangeBatch batch(int[] types, String[]... rows) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            cols.add(new Column("c" + i, types[i], -1, i == 0));
        }
        Relation rel = new Relation(16_400, new TableId("public", "t"), cols, 'd');
        List<Change> changes = new ArrayList<>();
        for (String[] row : rows) {
            changes.add(Change.insert(rel, RowImage.of(row)));
        }
        return new ChangeBatch("acme", "r1", 7, List.of(new SourceTransaction(1234, new Lsn(0x1_0000_0000L),
                new Lsn(0x1_0000_0040L), Instant.parse("2026-01-02T03:04:05.123456789Z"), changes)));
    }

    /** A batch with one column of one type holding {@code values}, one row each. */
    static ChangeBatch column(int type, String... values) {
        String[][] rows = new String[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new String[]{values[i]};
        }
        return batch(new int[]{type}, rows);
    }

    static ChangeBatch small() {
        return batch(new int[]{20, 25, 1700, 1184}, new String[]{"1", "alpha", "10.50", "2026-01-02 03:04:05.5+00"},
                new String[]{"2", null, "11.00", "2026-01-02 03:04:06+00"});
    }

    private CodecFixtures() {
    }
}
