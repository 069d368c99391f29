package io.helios.failover;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

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
@EnableScheduling
public class FailoverApplication {

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
