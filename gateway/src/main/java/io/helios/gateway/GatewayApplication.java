package io.helios.gateway;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Helios gateway: the one entry (port 8080). Routes {@code /api/v1/**} to the service that
 * owns the resource, verifies bearer tokens and enforces the shared access table (again: each
 * service enforces it too), limits each client's request rate, breaks circuits to services that
 * are down, and serves one Swagger UI over every service's OpenAPI document.
 *
 * <p>Its configuration file is {@code gateway.yml}; start it through {@link #builder()}, which
 * also makes it a reactive application when Spring MVC shares its classpath (the one-JVM local
 * stack).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static final String CONFIG_NAME = "gateway";

    /**
     * The gateway has no database and no broker; excluded by name for the one-JVM local stack's
     * classpath, where Spring MVC (the control plane's) is present too: the gateway is made
     * reactive explicitly, so Spring Cloud Gateway's refusal to start beside MVC is not needed.
     */
    static final String EXCLUDED_AUTO_CONFIGURATION = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
            "org.springframework.cloud.gateway.config.GatewayClassPathWarningAutoConfiguration");

    public static void main(String[] args) {
        builder().run(args);
    }

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("spring.config.name=" + CONFIG_NAME,
                        "spring.autoconfigure.exclude=" + EXCLUDED_AUTO_CONFIGURATION);
    }
}
