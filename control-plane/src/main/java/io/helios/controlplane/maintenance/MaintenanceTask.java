package io.helios.controlplane.maintenance;

import java.time.Duration;

/**
 * A periodic piece of control-plane maintenance (WAL guard, orphan sweeper). The
 * {@link MaintenanceScheduler} calls {@link #run()} on its single thread, on one control-plane
 * instance at a time, and {@link #refresh()} on every instance after each turn.
 */
public interface MaintenanceTask {

    /** Name for logs and metrics. */
    String name();

    /** Whether the task is configured to run. */
    boolean enabled();

    /** Time between the end of one run and the start of the next. */
    Duration interval();

    /**
     * One pass. Called by one instance at a time; must bound every remote call, and must handle
     * a failure of one endpoint without giving up on the others.
     */
    void run();

    /** Refreshes what this instance shows (metrics) from the database; every instance calls it. */
    default void refresh() {
    }
}
