package io.helios.codec;

import io.helios.codec.internal.TextFloats;
import io.helios.codec.internal.TextTimes;
import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates change batches from a seed: random schemas over the types the codec knows (and
 * some it does not), values in PostgreSQL's text form mixed with edge cases and with text a
 * typed encoding must refuse, NULLs, unchanged TOAST, both row image forms. Same seed, same batch.
 */
final class RandomBatches {

    static final int[] TYPES = {21, 23, 20, 26, 1700, 700, 701, 1114, 1184, 1082, 2950, 17, 25, 1043, 16, 3802, 16_501, 1009};

    private final Random rnd;
    private final boolean oddText;

    /** @param oddText whether to mix in text a typed encoding must refuse (forcing the fallback) */
    RandomBatches(long seed, boolean oddText) {
        this.rnd = new Random(seed);
        this.oddText = oddText;
    }

    RandomBatches(long seed) {
        this(seed, seed % 2 == 0);
    }

    ChangeBatch batch() {
        List<Relation> rels = new ArrayList<>();
        int relCount = 1 + rnd.nextInt(3);
        for (int i = 0; i < relCount; i++) {
            rels.add(relation(16_384 + i));
        }
        if (rnd.nextInt(4) == 0) {
            Relation r = rels.get(0);
            rels.add(new Relation(r.oid(), r.table(), new ArrayList<>(r.columns()), r.replicaIdentity())); // equal, not same
            rels.add(relation(r.oid())); // same table after a schema change
        }
        List<SourceTransaction> txs = new ArrayList<>();
        long lsn = rnd.nextLong() >>> 8;
        long xid = rnd.nextInt(1_000_000);
        long micros = rnd.nextLong() % 4_000_000_000_000_000L;
        int txCount = rnd.nextInt(5);
        for (int t = 0; t < txCount; t++) {
            List<Change> changes = new ArrayList<>();
            int n = rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 40);
            for (int c = 0; c < n; c++) {
                changes.add(change(rels.get(rnd.nextInt(rels.size())), rels));
            }
            lsn += rnd.nextInt(100_000);
            long end = lsn + rnd.nextInt(100);
            micros += rnd.nextInt(1_000_000);
            txs.add(new SourceTransaction(xid + t * (1 + rnd.nextInt(3)), new Lsn(lsn), new Lsn(end),
                    Instant.ofEpochSecond(micros / 1_000_000, Math.floorMod(micros, 1_000_000) * 1000L + rnd.nextInt(1000)),
                    changes));
        }
        return new ChangeBatch("tenant-" + rnd.nextInt(100), "repl-é-" + rnd.nextInt(100), rnd.nextLong(), txs);
    }

    private Relation relation(int oid) {
        int cols = 1 + rnd.nextInt(8);
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            int type = TYPES[rnd.nextInt(TYPES.length)];
            columns.add(new Column("c" + c + (rnd.nextBoolean() ? "" : "_ü"), type, rnd.nextInt(3) - 1, c == 0));
        }
        return new Relation(oid, new TableId("s" + rnd.nextInt(3), "t" + oid), columns, "dfin".charAt(rnd.nextInt(4)));
    }

    private Change change(Relation r, List<Relation> rels) {
        switch (rnd.nextInt(12)) {
            case 0, 1:
                return Change.update(r, rnd.nextBoolean() ? image(r, false, true) : null, image(r, true, false));
            case 2:
                return Change.delete(r, image(r, false, rnd.nextBoolean()));
            case 3:
                if (rnd.nextInt(5) == 0) {
                    return Change.truncate(rels.subList(0, 1 + rnd.nextInt(rels.size())));
                }
                return Change.insert(r, image(r, false, false));
            default:
                return Change.insert(r, image(r, false, false));
        }
    }

    private RowImage image(Relation r, boolean mayBeUnchanged, boolean keyOnly) {
        String[] v = new String[r.columns().size()];
        boolean few = rnd.nextBoolean();
        for (int c = 0; c < v.length; c++) {
            Column col = r.columns().get(c);
            if (keyOnly && !col.key()) {
                v[c] = null;
            } else if (mayBeUnchanged && rnd.nextInt(8) == 0) {
                v[c] = RowImage.UNCHANGED;
            } else if (rnd.nextInt(10) == 0) {
                v[c] = null;
            } else {
                v[c] = value(col.typeOid(), few);
            }
        }
        return rnd.nextBoolean() ? RowImage.of(v) : bytes(v);
    }

    /** The same values as a view into one larger UTF-8 message, as a capture engine hands them over. */
    private RowImage bytes(String[] v) {
        StringBuilder all = new StringBuilder("#");
        int[] off = new int[v.length];
        int[] len = new int[v.length];
        int at = 1;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == null) {
                len[i] = RowImage.NULL_LENGTH;
            } else if (v[i] == RowImage.UNCHANGED) {
                len[i] = RowImage.UNCHANGED_LENGTH;
            } else {
                byte[] b = v[i].getBytes(StandardCharsets.UTF_8);
                all.append(v[i]).append('|');
                off[i] = at;
                len[i] = b.length;
                at += b.length + 1;
            }
        }
        return RowImage.ofUtf8(all.toString().getBytes(StandardCharsets.UTF_8), off, len);
    }

    /** A value of the type; {@code few}: text drawn from a small set (to exercise dictionaries). */
    String value(int type, boolean few) {
        if (oddText && rnd.nextInt(40) == 0) {
            return odd();
        }
        return switch (type) {
            case 21 -> Long.toString((short) rnd.nextInt());
            case 23 -> Long.toString(rnd.nextInt(3) == 0 ? rnd.nextInt() : rnd.nextInt(1000));
            case 20, 26 -> Long.toString(rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(100_000));
            case 1700 -> numeric();
            case 700 -> floatText(true);
            case 701 -> floatText(false);
            case 1114 -> time(TextTimes.TIMESTAMP);
            case 1184 -> time(TextTimes.TIMESTAMPTZ);
            case 1082 -> time(TextTimes.DATE);
            case 2950 -> new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString();
            case 17 -> bytea();
            case 16 -> rnd.nextBoolean() ? "t" : "f";
            case 16_501 -> List.of("new", "paid", "shipped", "cancelled").get(rnd.nextInt(4));
            case 3802 -> "{\"k\": " + rnd.nextInt(100) + ", \"s\": \"" + text(5) + "\"}";
            case 1009 -> "{" + text(3) + ",\"a b\",NULL}";
            default -> few ? "v" + rnd.nextInt(3) : text(rnd.nextInt(30));
        };
    }

    private String numeric() {
        return switch (rnd.nextInt(oddText ? 6 : 4) + (oddText ? 0 : 2)) {
            case 0 -> "NaN";
            case 1 -> "123456789012345678901234567890.000000000000000000001";
            case 2 -> Long.toString(rnd.nextInt(1_000_000));
            default -> new java.math.BigDecimal(java.math.BigInteger.valueOf(rnd.nextLong() % 100_000_000_000L),
                    rnd.nextInt(6)).toPlainString();
        };
    }

    private String floatText(boolean float4) {
        long bits = switch (rnd.nextInt(5)) {
            case 0 -> Double.doubleToRawLongBits(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-5, 1e15, 123456.0).get(rnd.nextInt(10)));
            case 1 -> Double.doubleToRawLongBits(Math.round(rnd.nextGaussian() * 10_000) / 100.0);
            default -> rnd.nextLong();
        };
        double d = Double.longBitsToDouble(bits);
        if (float4) {
            d = (float) d;
        }
        byte[] out = new byte[64];
        int n = TextFloats.format(Double.doubleToRawLongBits(d), float4, out, 0);
        return new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    private String time(int kind) {
        if (rnd.nextInt(20) == 0) {
            return rnd.nextBoolean() ? "infinity" : "-infinity";
        }
        long lo = TextTimesTestSupport.MIN_MICROS;
        long hi = TextTimesTestSupport.MAX_MICROS;
        long v = rnd.nextInt(3) == 0 ? Math.min(hi, lo + (long) (rnd.nextDouble() * ((double) hi - lo)))
                : 757_382_400_000_000L + rnd.nextInt();
        if (kind == TextTimes.DATE) {
            v = Math.floorDiv(v, 86_400_000_000L);
        }
        if (rnd.nextInt(3) == 0) {
            v -= Math.floorMod(v, 1000);
        }
        int offset = kind == TextTimes.TIMESTAMPTZ ? List.of(0, 3600, -18000, 19_800, 20_700, -12_345).get(rnd.nextInt(6)) : 0;
        byte[] out = new byte[64];
        int n = TextTimes.format(v, offset, kind, out, 0);
        return new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    private String bytea() {
        byte[] raw = new byte[rnd.nextInt(40)];
        rnd.nextBytes(raw);
        StringBuilder b = new StringBuilder("\\x");
        for (byte x : raw) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    /** Text no typed encoding may take: the column must fall back and still round-trip. */
    private String odd() {
        return List.of("", " ", "+1", "007", "-0", "1e5", "1.0E10", "２", "2024-01-01T00:00:00Z", "\\X00",
                "00000000-0000-0000-0000-00000000000G", "NULL", "\u0000", "𝄞 emoji 😀", "-", ".5").get(rnd.nextInt(16));
    }

    String text(int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(10);
            b.appendCodePoint(kind < 7 ? 'a' + rnd.nextInt(26) : kind < 8 ? 0xE0 + rnd.nextInt(30)
                    : kind < 9 ? 0x4E00 + rnd.nextInt(100) : 0x1F600 + rnd.nextInt(50));
        }
        return b.toString();
    }
}
