package io.helios.debezium;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.helios.core.capture.TransactionBuffer;
import io.helios.core.capture.SpillingChangeBuffer;
import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.SourceTransaction;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debezium change consumer of one {@link DebeziumCaptureEngine}: assembles whole
 * transactions from the transaction metadata BEGIN and END records and the data records
 * between them, and hands them, in commit order, to the engine's bounded queue. A full queue
 * blocks Debezium's consumer thread, which stops its polling: back-pressure reaches the
 * server through the walsender's flow control. Changes collect in a
 * {@link SpillingChangeBuffer}: a transaction past the in-memory bound goes to a spill file and
 * is still handed on whole.
 *
 * <p>Commit LSN: Debezium's END record carries the offset of the COMMIT message, whose
 * {@code lsn_commit} is the LSN the walsender stamped on that message, i.e. the
 * transaction's end LSN (the position just past its commit record), the same value
 * {@code pgoutput}'s Commit message carries as {@code end_lsn} and that the direct engine
 * confirms. It becomes both {@link SourceTransaction#endLsn()} and, as Debezium does not keep
 * the LSN of the commit record itself, {@link SourceTransaction#commitLsn()}. Transactions at
 * or before the engine's start LSN, or not after the previous one, are dropped.
 *
 * <p>Threading: {@link #handleBatch} runs on Debezium's consumer thread only; the volatile
 * state is read by the Helios consumer thread.
 */
final class TransactionCollector implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(TransactionCollector.class);
    private static final long OFFER_WAIT_MILLIS = 100;

    private final TransactionBuffer queue;
    private final OffsetTracker offsets;
    private final ChangeMapper mapper;
    private final long appliedUpTo;
    private final SpillingChangeBuffer changes;

    private volatile boolean closing;
    private volatile boolean inTransaction;
    private volatile boolean idleSinceLastCommit;
    private volatile long lastEnd;
    private long xid;
    private final String transactionTopic;

    TransactionCollector(TransactionBuffer queue, OffsetTracker offsets, ChangeMapper mapper,
                         long appliedUpTo, String transactionTopic, SpillingChangeBuffer changes) {
        this.changes = changes;
        this.transactionTopic = transactionTopic;
        this.queue = queue;
        this.offsets = offsets;
        this.mapper = mapper;
        this.appliedUpTo = appliedUpTo;
        this.lastEnd = appliedUpTo;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        offsets.markConfirmed(committer);
        for (RecordChangeEvent<SourceRecord> event : records) {
            handle(event.record(), committer);
            offsets.track(event);
        }
        offsets.markConfirmed(committer);
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return false;
    }

    /** No half-read transaction, and Debezium's stream went idle since the last commit. */
    boolean idle() {
        return !inTransaction && idleSinceLastCommit;
    }

    /** The end LSN of the newest transaction seen. */
    long lastEnd() {
        return lastEnd;
    }

    /** Unblocks a consumer thread waiting for queue space; it then gives up. */
    void close() {
        closing = true;
    }

    private void handle(SourceRecord record, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        String topic = record.topic();
        if (topic.startsWith(DebeziumSettings.HEARTBEAT_TOPIC_PREFIX)) {
            idleSinceLastCommit = !inTransaction;
        } else if (topic.equals(transactionTopic)) {
            transactionBoundary(record, committer);
        } else if (record.value() instanceof Struct) {
            if (!inTransaction) {
                throw new IllegalStateException("data record outside a transaction at offset " + record.sourceOffset());
            }
            mapper.map(record, this::add);
        }
    }

    private void transactionBoundary(SourceRecord record,
                                     DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        Struct value = (Struct) record.value();
        String status = value.getString("status");
        if ("BEGIN".equals(status)) {
            begin(value.getString("id"));
        } else if ("END".equals(status)) {
            end(record, committer);
        }
    }

    private void begin(String id) {
        if (inTransaction) {
            throw new IllegalStateException("BEGIN of transaction " + id + " inside transaction " + xid);
        }
        xid = parseXid(id);
        changes.begin(xid);
        inTransaction = true;
        idleSinceLastCommit = false;
    }

    private void end(SourceRecord record, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        mapper.flush(this::add);
        inTransaction = false;
        Long end = OffsetTracker.longValue(record.sourceOffset(), OffsetTracker.LSN_COMMIT);
        if (end == null) {
            throw new IllegalStateException("END of transaction " + xid + " without lsn_commit: " + record.sourceOffset());
        }
        if (Long.compareUnsigned(end, lastEnd) <= 0) {
            if (Long.compareUnsigned(end, appliedUpTo) > 0) {
                log.warn("transaction {} ends at {}, not after {}: dropped", xid, new Lsn(end), new Lsn(lastEnd));
            }
            changes.discard();
            return;
        }
        lastEnd = end;
        long bytes = changes.bytes();
        offer(changes.commit(new Lsn(end), new Lsn(end), commitTime(record)), bytes, committer);
    }

    /**
     * Queues the transaction at the size it was counted at, even when it spilled, so a spilled one
     * enters only an empty queue: that bounds the disk spill files take, not only the memory.
     */
    private void offer(SourceTransaction tx, long bytes,
                       DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        while (!queue.offer(tx, bytes, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            if (closing) {
                if (tx.spilled() != null) {
                    tx.spilled().close();
                }
                throw new InterruptedException("capture closing");
            }
            offsets.markConfirmed(committer);
        }
    }

    private void add(Change change) {
        changes.add(change);
    }

    private static Instant commitTime(SourceRecord record) {
        Long micros = OffsetTracker.longValue(record.sourceOffset(), "ts_usec");
        if (micros == null) {
            return Instant.ofEpochMilli(((Struct) record.value()).getInt64("ts_ms"));
        }
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    /** Debezium names PostgreSQL transactions by their xid; older releases appended ":lsn". */
    static long parseXid(String id) {
        int colon = id.indexOf(':');
        return Long.parseLong(colon < 0 ? id : id.substring(0, colon));
    }
}
