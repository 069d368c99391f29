package io.helios.pgoutput;

import io.helios.core.change.Change;
import io.helios.core.change.Lsn;
import io.helios.core.change.Relation;

import java.time.Instant;

/**
 * One decoded {@code pgoutput} message, as {@link PgOutputDecoder} returns it. Row messages
 * (Insert, Update, Delete, Truncate) come as {@link RowChange} carrying a core {@link Change}
 * that references the {@link Relation} current at that point of the stream.
 */
public sealed interface PgOutputMessage {

    /** 'B': a transaction starts; {@code finalLsn} is the LSN of its commit record. */
    record Begin(long xid, Lsn finalLsn, Instant commitTime) implements PgOutputMessage {
    }

    /** 'C': the transaction ends; {@code endLsn} is just past the commit record. */
    record Commit(Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgOutputMessage {
    }

    /** 'R': the (new) shape of a table; the decoder's cache already holds it. */
    record RelationMessage(Relation relation) implements PgOutputMessage {
    }

    /** 'I', 'U', 'D', 'T': one row change (or one truncate of several tables). */
    record RowChange(Change change) implements PgOutputMessage {
    }

    /** 'O': the transaction was replicated into this server from another origin. */
    record Origin(Lsn commitLsn, String name) implements PgOutputMessage {
    }

    /** 'Y': a non-built-in data type used by a following relation. */
    record Type(int oid, String namespace, String name) implements PgOutputMessage {
    }

    /** A message the engine has no use for (e.g. 'M' logical decoding messages). */
    record Ignored(char tag) implements PgOutputMessage {
    }
}
