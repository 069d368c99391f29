package io.helios.bench.codec;

import io.helios.codec.ChangeBatch;
import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The batch as Debezium's PostgreSQL connector emits it through the JSON converter without
 * schemas: one change event per row (before, after, source block, op, timestamps), values typed
 * the Debezium way (integers and floats as numbers, booleans, numeric as string in
 * {@code decimal.handling.mode=string}, timestamptz as ISO-8601 UTC strings), events one per line.
 * This is the row-wise baseline the codec is measured against.
 */
final class DebeziumJson {

    private DebeziumJson() {
    }

    static byte[] write(ChangeBatch batch) {
        StringBuilder b = new StringBuilder(1 << 20);
        for (SourceTransaction tx : batch.transactions()) {
            long tsMs = tx.commitTime().toEpochMilli();
            for (Change c : tx.changes()) {
                event(b, tx, c, tsMs);
                b.append('\n');
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length() + 1024);
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        return out.toByteArray();
    }

    private static void event(StringBuilder b, SourceTransaction tx, Change c, long tsMs) {
        Relation r = c.relation();
        b.append("{\"before\":");
        row(b, r, c.before());
        b.append(",\"after\":");
        row(b, r, c.after());
        long tsUs = tx.commitTime().getEpochSecond() * 1_000_000 + tx.commitTime().getNano() / 1000;
        b.append(",\"source\":{\"version\":\"3.4.3.Final\",\"connector\":\"postgresql\",\"name\":\"helios\",\"ts_ms\":")
                .append(tsMs).append(",\"snapshot\":\"false\",\"db\":\"app\",\"sequence\":\"[\\\"")
                .append(tx.commitLsn().value() - 1000).append("\\\",\\\"").append(tx.commitLsn().value())
                .append("\\\"]\",\"ts_us\":").append(tsUs).append(",\"ts_ns\":").append(tsUs * 1000)
                .append(",\"schema\":\"").append(r.table().schema()).append("\",\"table\":\"").append(r.table().table())
                .append("\",\"txId\":").append(tx.xid()).append(",\"lsn\":").append(tx.commitLsn().value())
                .append(",\"xmin\":null},\"transaction\":null,\"op\":\"")
                .append(switch (c.op()) {
                    case INSERT -> "c";
                    case UPDATE -> "u";
                    case DELETE -> "d";
                    case TRUNCATE -> "t";
                })
                .append("\",\"ts_ms\":").append(tsMs + 37).append(",\"ts_us\":").append((tsMs + 37) * 1000)
                .append(",\"ts_ns\":").append((tsMs + 37) * 1_000_000).append('}');
    }

    private static void row(StringBuilder b, Relation r, RowImage img) {
        if (img == null) {
            b.append("null");
            return;
        }
        b.append('{');
        List<Column> cols = r.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (img.isUnchanged(i)) {
                continue;
            }
            b.append(i == 0 ? "" : ",").append('"').append(cols.get(i).name()).append("\":");
            String v = img.get(i);
            if (v == null) {
                b.append("null");
                continue;
            }
            switch (cols.get(i).typeOid()) {
                case 20, 21, 23, 26 -> b.append(v);
                case 700, 701 -> {
                    if (v.equals("NaN") || v.contains("Infinity")) {
                        string(b, v);
                    } else {
                        b.append(v);
                    }
                }
                case 16 -> b.append(v.equals("t") ? "true" : "false");
                case 1184 -> string(b, v.replace(' ', 'T').replace("+00", "Z"));
                default -> string(b, v);
            }
        }
        b.append('}');
    }

    private static void string(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        b.append('"');
    }
}
