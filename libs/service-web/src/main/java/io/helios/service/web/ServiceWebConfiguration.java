package io.helios.service.web;

import io.helios.service.security.SecurityConfiguration;
import io.helios.service.security.SecurityProperties;
import io.helios.service.security.TenantGuard;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The shared web plumbing of a Spring MVC service: the OAuth2 resource server and the shared access policy
 * ({@link SecurityConfiguration}), the {@link TenantGuard}, RFC 9457 problem details ({@link ProblemHandler}),
 * the request body limit ({@link ApiLimits}) and the OpenAPI conventions. A service imports it from its
 * application class and supplies a {@link ServiceApi} bean (and, to read more from a token than the
 * caller, an {@link io.helios.service.security.CallerAuthenticationConverter}). Deliberately not an
 * auto-configuration: in the one-JVM local stack the worker and the gateway share this classpath.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SecurityProperties.class, ApiLimits.class})
@Import({SecurityConfiguration.class, TenantGuard.class, OpenApiConfiguration.class, ProblemHandler.class,
        RequestBodyLimit.class})
public class ServiceWebConfiguration {
}
