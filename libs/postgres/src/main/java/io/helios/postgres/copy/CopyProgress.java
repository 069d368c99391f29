package io.helios.postgres.copy;

import io.helios.core.change.TableId;

/** Progress of an initial copy, per table: rows copied so far and the planner's estimate. */
@FunctionalInterface
public interface CopyProgress {

    CopyProgress NONE = (table, done, estimated) -> { };

    void onTable(TableId table, long rowsDone, long rowsEstimated);
}
