package io.helios.migration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.helios.service.web.ServiceApi;
import io.helios.service.web.ServiceWebConfiguration;

import java.util.Map;

/**
 * The Helios migration service: moves a live tenant from its primary endpoint to another one
 * (copy and catch-up through a replication of the control plane, then a cutover with a measured
 * write pause), keeps a reverse replication so the move can be rolled back, and persists every
 * phase so a crash resumes or rolls back.
 *
 * <p>Its configuration file is {@code migration-service.yml}, so that it can share a JVM and
 * classpath with the other services (the local stack); start it through {@link #builder()}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ServiceWebConfiguration.class)
@EnableScheduling
public class MigrationServiceApplication {

    /** What the shared web plumbing says about the migration service's API (OpenAPI info, problem answers, the log to look in). */
    @Bean
    ServiceApi serviceApi() {
        return new ServiceApi("Helios migration service API",
                "Live migrations of tenants between endpoints: copy, catch-up, cutover with a measured write "
                        + "pause, reverse replication and rollback. Errors are RFC 9457 problem details.",
                Map.of(409, "Illegal lifecycle transition, or the tenant already has a migration under way",
                        422, "The request cannot be carried out in the current state of the tenant or its endpoints (the detail says why)",
                        503, "A database the operation must reach did not answer; the operation can be retried"),
                "migration-service");
    }

    /** The configuration name every launcher of the migration service should use. */
    public static final String CONFIG_NAME = "migration-service";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** A builder with {@code spring.config.name=migration-service} (see the control plane's for the exclusion). */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(MigrationServiceApplication.class)
                .properties(Map.of("spring.config.name", CONFIG_NAME,
                        "spring.autoconfigure.exclude",
                        "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration"));
    }
}
