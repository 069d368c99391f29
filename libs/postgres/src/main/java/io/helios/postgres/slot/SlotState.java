package io.helios.postgres.slot;

import io.helios.core.change.Lsn;

/**
 * What a source says about one of its replication slots: the output plugin it decodes with and
 * the position up to which its consumer confirmed ({@link Lsn#ZERO} when none is recorded).
 * Immutable.
 */
public record SlotState(String name, String plugin, Lsn confirmedFlush) {
}
