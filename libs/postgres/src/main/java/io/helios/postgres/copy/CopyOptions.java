package io.helios.postgres.copy;

/**
 * How an initial copy may spread out.
 *
 * @param parallelism        COPY sessions at most (source and target each); 1 copies in one session and one
 *                           target transaction, all or nothing
 * @param parallelAboveBytes the tenant's tables (on-disk size on the source) must be at least this large for
 *                           several sessions: below it the one-transaction copy is cheaper and keeps an
 *                           earlier replica's rows until the new copy commits
 * @param splitAboveBytes    a table at least this large is split into block ranges copied by several sessions
 */
public record CopyOptions(int parallelism, long parallelAboveBytes, long splitAboveBytes) {

    /** One session, one target transaction. */
    public static final CopyOptions SERIAL = new CopyOptions(1, Long.MAX_VALUE, Long.MAX_VALUE);

    public CopyOptions {
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException("copy parallelism must be 1 to 64, not " + parallelism);
        }
        if (parallelAboveBytes < 0 || splitAboveBytes < 1) {
            throw new IllegalArgumentException("copy thresholds must be positive");
        }
    }
}
