package io.helios.core.capture;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import io.helios.core.spill.SpilledChanges;
import io.helios.core.spill.Spills;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpillingChangeBufferTest {

    private static final Relation T = new Relation(1, new TableId("s", "t"),
            List.of(new Column("id", 23, -1, true), new Column("v", 25, -1, false)), 'd');
    private static final Relation U = new Relation(2, new TableId("s", "u"),
            List.of(new Column("id", 23, -1, true)), 'f');

    @TempDir
    Path root;
    private Spills spills;

    @AfterEach
    void close() {
        if (spills != null) {
            spills.close();
        }
    }

    @Test
    void aSmallTransactionStaysInMemory() {
        SpillingChangeBuffer buffer = buffer(1 << 20);
        buffer.begin(7);
        Change c = Change.insert(T, RowImage.of("1", "a"));
        buffer.add(c);

        SourceTransaction tx = buffer.commit(new Lsn(10), new Lsn(20), Instant.EPOCH);

        assertThat(tx.isSpilled()).isFalse();
        assertThat(tx.changes()).containsExactly(c);
        assertThat(tx.estimatedBytes()).isEqualTo(c.estimatedBytes());
        assertThat(spills.spilledTransactions()).isZero();
    }

    @Test
    void aTransactionPastTheBoundSpillsAndReadsBackEveryChangeInOrder() throws Exception {
        SpillingChangeBuffer buffer = buffer(4 << 10);
        List<Change> written = changes(5_000);
        buffer.begin(9);
        written.forEach(buffer::add);

        SourceTransaction tx = buffer.commit(new Lsn(100), new Lsn(200), Instant.EPOCH);

        assertThat(tx.isSpilled()).isTrue();
        assertThat(tx.changes()).isEmpty();
        assertThat(tx.rowCount()).isEqualTo(written.size());
        assertThat(tx.estimatedBytes()).isEqualTo(SourceTransaction.SPILLED_HEAP_BYTES);
        assertThat(spills.spilledTransactions()).isEqualTo(1);
        List<Change> read = readAll(tx.spilled());
        assertThat(read).isEqualTo(written);
        assertThat(readAll(tx.spilled())).as("read again").isEqualTo(written);
        // one Relation instance per shape, as the applier matches shapes by identity
        assertThat(read.get(0).relation()).isSameAs(read.get(5).relation());
        assertThat(read.get(4).truncated().get(0)).isSameAs(read.get(1).relation());
    }

    @Test
    void spillFilesAreOwnerOnlySealedAndDeletedOnceConfirmed() throws Exception {
        SpillingChangeBuffer buffer = buffer(1 << 10);
        buffer.begin(11);
        changes(500).forEach(buffer::add);
        SpilledChanges spilled = buffer.commit(new Lsn(100), new Lsn(200), Instant.EPOCH).spilled();
        Path file = spilled.path();

        assertThat(file).startsWith(root);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("value-42");
        spills.releaseUpTo(new Lsn(199));
        assertThat(file).exists();
        spills.releaseUpTo(new Lsn(200));
        assertThat(file).doesNotExist();
        assertThat(spills.filesHeld()).isZero();
    }

    @Test
    void aTransactionDroppedWhileSpillingLeavesNoFile() throws Exception {
        SpillingChangeBuffer buffer = buffer(1 << 10);
        buffer.begin(12);
        changes(500).forEach(buffer::add);
        assertThat(buffer.spilling()).isTrue();
        assertThat(spills.filesHeld()).isEqualTo(1);

        buffer.begin(13); // the stream restarted inside the transaction

        assertThat(spills.filesHeld()).isZero();
        try (var files = Files.list(io.helios.core.spill.SpillDirectory.at(root).path())) {
            assertThat(files.filter(p -> p.toString().endsWith(".spill"))).isEmpty();
        }
    }

    private SpillingChangeBuffer buffer(long memoryBytes) {
        spills = new Spills(root);
        return new SpillingChangeBuffer(memoryBytes, spills);
    }

    /** Inserts, updates (with NULL, unchanged TOAST and UTF-8 byte-view images), deletes and truncates. */
    private static List<Change> changes(int n) {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] utf8 = ("" + i + "välue-" + i).getBytes(StandardCharsets.UTF_8);
            int idLength = Integer.toString(i).length();
            RowImage view = RowImage.ofUtf8(utf8, new int[] {0, idLength}, new int[] {idLength, utf8.length - idLength});
            out.add(switch (i % 5) {
                case 0 -> Change.insert(T, RowImage.of(Integer.toString(i), "value-" + i));
                case 1 -> Change.update(T, RowImage.of(Integer.toString(i), null), RowImage.of(Integer.toString(i + 1), RowImage.UNCHANGED));
                case 2 -> Change.update(T, null, view);
                case 3 -> Change.delete(U, RowImage.of(Integer.toString(i)));
                default -> Change.truncate(List.of(T, U));
            });
        }
        return out;
    }

    private static List<Change> readAll(SpilledChanges spilled) throws Exception {
        List<Change> out = new ArrayList<>();
        try (SpilledChanges.Cursor cursor = spilled.open()) {
            cursor.forEachRemaining(out::add);
        }
        return out;
    }
}
