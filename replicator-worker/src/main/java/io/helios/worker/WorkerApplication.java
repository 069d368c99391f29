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
     * and metrics, protected by the network like every service's actuator (the control plane
     * verifies the worker, not the other way round). Excluded by name so that the worker also
     * starts on a classpath that carries JDBC and Spring Security auto-configuration (the one-JVM
     * local stack).
     */
    static final String EXCLUDED_AUTO_CONFIGURATION = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
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
