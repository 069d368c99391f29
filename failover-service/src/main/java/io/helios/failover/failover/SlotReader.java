package io.helios.failover.failover;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.pgoutput.PgOutputDecoder;
import io.helios.pgoutput.PgOutputMessage;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the transactions a slot still holds after a position, without consuming them:
 * {@code pg_logical_slot_peek_binary_changes} with pgoutput (protocol 1, the replication's
 * publication), decoded by the project's {@link PgOutputDecoder}. The slot's confirmed position may
 * lie before {@code after} (confirmations are lazy, and a crash loses the latest), so transactions
 * ending at or before it are skipped. Stateless; runs on the caller's connection.
 */
final class SlotReader {

    /** Bound of one read: transactions lost in a failover are seconds of writes, not this many changes. */
    static final int MAX_CHANGES = 2_000_000;

    private SlotReader() {
    }

    static List<LostTransaction> after(Connection c, String slot, String publication, Lsn after) throws SQLException {
        PgOutputDecoder decoder = new PgOutputDecoder();
        List<LostTransaction> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM pg_logical_slot_peek_binary_changes(?, NULL, ?,"
                + " 'proto_version', '1', 'publication_names', ?)")) {
            ps.setString(1, slot);
            ps.setInt(2, MAX_CHANGES);
            ps.setString(3, publication);
            ps.setFetchSize(1000);
            long xid = 0;
            Instant commitTime = null;
            List<Map<String, Object>> changes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PgOutputMessage m = decoder.decode(ByteBuffer.wrap(rs.getBytes(1)));
                    if (m instanceof PgOutputMessage.Begin b) {
                        xid = b.xid();
                        commitTime = b.commitTime();
                        changes = new ArrayList<>();
                    } else if (m instanceof PgOutputMessage.RowChange rc) {
                        changes.add(describe(rc.change()));
                    } else if (m instanceof PgOutputMessage.Commit commit) {
                        if (commit.endLsn().isAfter(after) && !changes.isEmpty()) {
                            out.add(new LostTransaction(xid, commit.endLsn().toString(), commitTime, List.copyOf(changes)));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, Object> describe(Change change) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", change.op().name());
        if (change.op() == Change.Op.TRUNCATE) {
            m.put("tables", change.truncated().stream().map(r -> r.table().toString()).toList());
            return m;
        }
        m.put("table", change.relation().table().toString());
        if (change.after() != null) {
            m.put("new", image(change.relation(), change.after()));
        }
        if (change.before() != null) {
            m.put("old", image(change.relation(), change.before()));
        }
        return m;
    }

    private static Map<String, Object> image(Relation relation, RowImage row) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Column> columns = relation.columns();
        for (int i = 0; i < columns.size() && i < row.size(); i++) {
            if (row.isUnchanged(i)) {
                m.put(columns.get(i).name(), "(unchanged toast)");
            } else {
                m.put(columns.get(i).name(), row.isNull(i) ? null : row.get(i));
            }
        }
        return m;
    }
}
