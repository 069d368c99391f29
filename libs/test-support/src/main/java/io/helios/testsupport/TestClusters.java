package io.helios.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The PostgreSQL cluster shared by every test of one JVM: a container when a Docker engine
 * answers, otherwise embedded binaries. Started on first use, stopped when the JVM exits.
 * Each test class takes databases of its own on it.
 */
public final class TestClusters {

    private static final Logger log = LoggerFactory.getLogger(TestClusters.class);
    private static volatile PostgresCluster shared;

    private TestClusters() {
    }

    public static PostgresCluster shared() {
        PostgresCluster c = shared;
        if (c == null) {
            synchronized (TestClusters.class) {
                c = shared;
                if (c == null) {
                    c = startNew();
                    PostgresCluster started = c;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-test-postgres"));
                    shared = c;
                }
            }
        }
        return c;
    }

    /** A new cluster owned by the caller (for tests that stop or kill a cluster). */
    public static PostgresCluster startNew() {
        if (dockerAvailable()) {
            log.info("starting PostgreSQL in a container");
            return ContainerCluster.start();
        }
        log.info("no Docker engine: starting embedded PostgreSQL binaries");
        return EmbeddedCluster.start(null, 0, true);
    }

    private static boolean dockerAvailable() {
        if (Boolean.getBoolean("helios.test.embedded")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
