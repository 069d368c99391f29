package io.helios.controlplane;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Map;

/**
 * The Helios control plane: system of record for endpoints, tenants, QoS policies and
 * replications, the worker registry and its leases, and the tenant routing directory.
 *
 * <p>Its configuration file is {@code control-plane.yml} (not {@code application.yml}) so that
 * the control plane and a worker can share one JVM and classpath; start it through
 * {@link #builder()} to get that default.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ControlPlaneApplication {

    /** The configuration name every launcher of the control plane should use. */
    public static final String CONFIG_NAME = "control-plane";

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * A builder with {@code spring.config.name=control-plane} as default property. The reactive
     * HTTP client is excluded: the control plane uses none, and where Reactor Netty shares the
     * classpath (the gateway's, in the one-JVM local stack) its factory of Reactor Netty's global
     * resources would dispose them under the gateway when this context closes.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ControlPlaneApplication.class)
                .properties(Map.of("spring.config.name", CONFIG_NAME,
                        "spring.autoconfigure.exclude",
                        "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration"));
    }
}
