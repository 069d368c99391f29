package io.helios.gateway.security;

import io.helios.security.AccessPolicy;
import io.helios.security.ClaimsReader;
import io.helios.security.Problems;
import io.helios.security.PublicPaths;
import io.helios.security.token.JwtKeySource;
import io.helios.security.token.TokenRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authentication and access at the door, failing closed: every {@code /api/} request needs a valid
 * bearer token (the configured audience, an expiry) whose roles satisfy the shared
 * {@link AccessPolicy}, judged on the path the routes match; refusals never reach a service. Only
 * {@link PublicPaths} (Swagger UI, the proxied OpenAPI documents, health, Prometheus) answer without
 * a token; everything else (other actuator endpoints, the circuit breakers' fallback paths, any
 * other spelling) is refused. Tenant restrictions are enforced by the services, which know which
 * resource belongs to which tenant. Stateless (no session, no CSRF).
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewaySecurityConfiguration.class);

    @Bean
    ReactiveJwtDecoder jwtDecoder(JwtProperties jwt) {
        JwtKeySource source = JwtKeySource.of(jwt.issuerUri(), jwt.jwkSetUri(), jwt.publicKey());
        NimbusReactiveJwtDecoder decoder;
        if (source instanceof JwtKeySource.PublicKey k) {
            decoder = NimbusReactiveJwtDecoder.withPublicKey(k.key()).build();
        } else if (source instanceof JwtKeySource.JwkSet k) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(k.uri()).build();
        } else {
            decoder = NimbusReactiveJwtDecoder.withIssuerLocation(source.issuer()).build();
        }
        decoder.setJwtValidator(TokenRules.validator(source.issuer(), jwt.audience()));
        log.info("{}; audience {}, roles from claim {}", source.describe(), jwt.audience(), jwt.rolesClaim());
        return decoder;
    }

    /** Picked up by Spring Security's filter chain proxy for what its firewall refuses. */
    @Bean
    ServerExchangeRejectedHandler malformedPathsAreProblems(JsonMapper json) {
        return new ProblemSecurityHandlers(new Problems(json));
    }

    @Bean
    SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http, ReactiveJwtDecoder decoder, JwtProperties jwt,
                                           JsonMapper json) {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(new Problems(json));
        ClaimsReader claims = new ClaimsReader(jwt.rolesClaim());
        // path matchers and the policy see the parsed path the route predicates match (after the firewall refused
        // //, /./, /../, ;, %2F, %25 and the like with 400); what is neither public nor /api/** is refused
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .authorizeExchange(a -> a
                        .pathMatchers(HttpMethod.GET, PublicPaths.all()).permitAll()
                        .pathMatchers("/api/**").access(new PolicyAuthorizationManager(AccessPolicy.HELIOS))
                        .anyExchange().denyAll())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.jwtDecoder(decoder).jwtAuthenticationConverter(token -> Mono.just(
                                new CallerAuthentication(claims.read(token.getSubject(), token.getClaims())))))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }
}
