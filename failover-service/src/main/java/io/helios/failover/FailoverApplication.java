package io.helios.failover;

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
 * The Helios failover service: health-checks tenant primaries, decides and performs tenant
 * failovers (lease revocation, unfencing of the replica, routing epoch), fences old primaries when
 * they answer again and quarantines the writes they committed that never reached the replica.
 *
 * <p>Its configuration file is {@code failover-service.yml}; start it through {@link #builder()}
 * so that it can share a JVM and classpath with the other services (the local stack).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ServiceWebConfiguration.class)
@EnableScheduling
public class FailoverApplication {

    /** What the shared web plumbing says about the failover service's API (OpenAPI info, problem answers, the log to look in). */
    @Bean
    ServiceApi serviceApi() {
        return new ServiceApi("Helios failover service API",
                "Health of tenant primaries, failover policies, maintenance windows, automatic and manual "
                        + "tenant failovers, fencing of old primaries and their quarantined lost writes. Errors are "
                        + "RFC 9457 problem details.",
                Map.of(409, "Illegal lifecycle transition, duplicate name, or object still referenced",
                        422, "The failover cannot proceed now (the detail says which condition is not met)",
                        502, "The control plane refused or failed a call the operation needs",
                        503, "A database or service the operation must reach did not answer; the operation can be retried"),
                "failover service");
    }

    /** The configuration name every launcher of the failover service should use. */
    public static final String CONFIG_NAME = "failover-service";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** A builder with {@code spring.config.name=failover-service} (see the control plane's for the exclusion). */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(FailoverApplication.class)
                .properties(Map.of("spring.config.name", CONFIG_NAME,
                        "spring.autoconfigure.exclude",
                        "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration"));
    }
}
