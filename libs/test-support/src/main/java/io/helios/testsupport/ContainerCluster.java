package io.helios.testsupport;

import org.testcontainers.postgresql.PostgreSQLContainer;

/** A PostgreSQL cluster in a container, used when a Docker engine answers. */
final class ContainerCluster implements PostgresCluster {

    private final PostgreSQLContainer container;

    private ContainerCluster(PostgreSQLContainer container) {
        this.container = container;
    }

    static ContainerCluster start() {
        PostgreSQLContainer c = new PostgreSQLContainer("postgres:17-alpine")
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=64",
                        "-c", "max_wal_senders=64", "-c", "max_connections=300", "-c", "track_commit_timestamp=on",
                        "-c", "fsync=off");
        c.start();
        return new ContainerCluster(c);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(5432);
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public void close() {
        container.stop();
    }
}
