package io.helios.controlplane;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import io.helios.service.web.ServiceApi;
import io.helios.service.web.ServiceWebConfiguration;

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
@Import(ServiceWebConfiguration.class)
public class ControlPlaneApplication {

    /** What the shared web plumbing says about the control plane's API (OpenAPI info, problem answers, the log to look in). */
    @Bean
    ServiceApi serviceApi() {
        return new ServiceApi("Helios control plane API",
                "Endpoints, tenants, QoS policies, replications and their lifecycle, tenant routing, "
                        + "preflight checks and the worker lease protocol. Errors are RFC 9457 problem details.",
                Map.of(409, "Illegal lifecycle transition, duplicate name, or object still referenced",
                        422, "The endpoint cannot be reached or used (connect with a bounded timeout and SELECT 1 failed)",
                        503, "A database the operation must reach did not answer; the operation can be retried"),
                "control plane");
    }

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
