package io.helios.worker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The replicator worker: stateless, scales out. All durable state lives in the control
 * plane (leases) and in each target's checkpoint table.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

    /**
     * The worker has no database of its own. Excluded by name so that the worker also starts
     * on a classpath that carries JDBC auto-configuration (the one-JVM local stack).
     */
    static final String EXCLUDED_AUTO_CONFIGURATION = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration");

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The application with its own configuration name ({@code replicator-worker.yml}). */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WorkerApplication.class)
                .properties("spring.config.name=replicator-worker",
                        "spring.autoconfigure.exclude=" + EXCLUDED_AUTO_CONFIGURATION);
    }
}
