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
     * The worker has no database of its own, and serves no API of its own: only actuator health
     * and Prometheus, public, and nothing else (its own filter chain, {@code security/}). Excluded by
     * name so that the worker also starts on a classpath that carries JDBC and OAuth2 resource-server
     * auto-configuration (the one-JVM local stack); the user store is excluded because no one logs in.
     */
    static final String EXCLUDED_AUTO_CONFIGURATION = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
            // with Reactor Netty on the classpath (the gateway's, in the one-JVM stack) this would create a factory
            // of Reactor Netty's global resources, and closing this context would dispose them under the gateway
            "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration");

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
