package io.helios.migration.cutover;

/** Moves the tenant's route in the directory (compare-and-set on the epoch); the control plane in production. */
public interface RouteMover {

    /**
     * @return the new routing epoch
     * @throws StaleEpoch when the epoch was no longer the expected one (nothing moved)
     * @throws RuntimeException when the answer is unknown (the move may or may not have happened)
     */
    long move(long expectedEpoch);

    /** The tenant's current routing epoch and whether its primary is the cutover's new one; null when unknown. */
    Current current();

    record Current(long epoch, boolean atNewPrimary) {
    }

    /** Another mover changed the route first. */
    final class StaleEpoch extends RuntimeException {
        public StaleEpoch(String message) {
            super(message);
        }
    }
}
