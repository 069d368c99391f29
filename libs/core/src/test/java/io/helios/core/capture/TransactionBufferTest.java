package io.helios.core.capture;

import io.helios.core.change.Change;
import io.helios.core.change.Column;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;
import io.helios.core.change.RowImage;
import io.helios.core.change.SourceTransaction;
import io.helios.core.change.TableId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionBufferTest {

    private static final Relation ROWS = new Relation(1, new TableId("public", "t"),
            List.of(new Column("id", 20, -1, true), new Column("payload", 25, -1, false)), 'd');

    /** A transaction of {@code rows} inserts whose received messages hold {@code payloadBytes} each. */
    private static SourceTransaction tx(long lsn, int rows, int payloadBytes) {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            byte[] message = ("1" + "x".repeat(payloadBytes)).getBytes(StandardCharsets.UTF_8);
            changes.add(Change.insert(ROWS, RowImage.ofUtf8(message, new int[]{0, 1}, new int[]{1, payloadBytes})));
        }
        return new SourceTransaction(lsn, new Lsn(lsn), new Lsn(lsn + 1), Instant.EPOCH, changes);
    }

    /** What a reader counts while assembling: its changes' estimates. */
    private static long bytes(SourceTransaction tx) {
        return tx.changes().stream().mapToLong(Change::estimatedBytes).sum();
    }

    private static boolean offer(TransactionBuffer buffer, SourceTransaction tx, long timeout, TimeUnit unit)
            throws InterruptedException {
        return buffer.offer(tx, bytes(tx), timeout, unit);
    }

    @Test
    void boundInBytesHoldsBackTheReaderUntilTheConsumerTakes() throws Exception {
        SourceTransaction big = tx(10, 100, 1000);
        long size = bytes(big);
        assertThat(size).isGreaterThan(100_000);
        TransactionBuffer buffer = new TransactionBuffer(1000, size * 2 + size / 2);

        assertThat(offer(buffer, big, 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(offer(buffer, tx(20, 100, 1000), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(offer(buffer, tx(30, 100, 1000), 10, TimeUnit.MILLISECONDS)).as("a third would pass the byte bound").isFalse();
        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.bytes()).isEqualTo(2 * size);

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return offer(buffer, tx(30, 100, 1000), 10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(buffer.poll(1, TimeUnit.SECONDS)).isSameAs(big);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).as("room made by the consumer lets the reader go on").isTrue();
        assertThat(buffer.poll(0, TimeUnit.SECONDS).xid()).isEqualTo(20);
        assertThat(buffer.poll(0, TimeUnit.SECONDS).xid()).isEqualTo(30);
        assertThat(buffer.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void aTransactionLargerThanTheBoundPassesWholeWhenTheBufferIsEmpty() throws Exception {
        TransactionBuffer buffer = new TransactionBuffer(10, 1024);
        SourceTransaction huge = tx(10, 50, 1000);
        assertThat(offer(buffer, huge, 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(offer(buffer, tx(20, 1, 1), 0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).isSameAs(huge);
        assertThat(offer(buffer, tx(20, 1, 1), 0, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void boundInTransactions() throws Exception {
        TransactionBuffer buffer = new TransactionBuffer(2, Long.MAX_VALUE);
        assertThat(offer(buffer, tx(10, 1, 1), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(offer(buffer, tx(20, 1, 1), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(offer(buffer, tx(30, 1, 1), 0, TimeUnit.MILLISECONDS)).isFalse();
        buffer.clear();
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.bytes()).isZero();
        assertThat(offer(buffer, tx(30, 1, 1), 0, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void theReadersFailureComesOnlyAfterWhatItQueued() throws Exception {
        TransactionBuffer buffer = new TransactionBuffer(4, TransactionBuffer.DEFAULT_MAX_BYTES);
        offer(buffer, tx(10, 1, 1), 0, TimeUnit.MILLISECONDS);
        CaptureException failure = new CaptureException("stream broke", null, true);
        assertThat(buffer.poll(Duration.ofSeconds(1), () -> failure).xid()).isEqualTo(10);
        assertThatThrownBy(() -> buffer.poll(Duration.ofSeconds(1), () -> failure)).isSameAs(failure);
        assertThat(buffer.poll(Duration.ofMillis(60), () -> null)).isNull();
    }

    @Test
    void imagesOfOneMessageAreCountedOnce() {
        byte[] message = new byte[10_000];
        RowImage before = RowImage.ofUtf8(message, new int[]{0, 1}, new int[]{1, 1});
        RowImage after = RowImage.ofUtf8(message, new int[]{2, 3}, new int[]{1, 1});
        long update = Change.update(ROWS, before, after).estimatedBytes();
        long insert = Change.insert(ROWS, after).estimatedBytes();
        assertThat(update).isLessThan(insert + 1000);
        assertThat(RowImage.of("abc", null).estimatedBytes()).isPositive();
    }

    @Test
    void rejectsBoundsBelowOne() {
        assertThatThrownBy(() -> new TransactionBuffer(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransactionBuffer(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
