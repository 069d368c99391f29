package io.helios.gateway.security;

import io.helios.security.AccessPolicy;
import io.helios.security.ClaimsReader;
import io.helios.security.token.JwtKeySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authentication and access at the door: every {@code /api/} request needs a valid bearer token
 * whose roles satisfy the shared {@link AccessPolicy}; refusals never reach a service. Swagger UI,
 * the proxied OpenAPI documents, health and metrics stay open. Tenant restrictions are enforced by
 * the services, which know which resource belongs to which tenant. Stateless (no session, no CSRF).
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
        decoder.setJwtValidator(source.issuer() != null
                ? JwtValidators.createDefaultWithIssuer(source.issuer()) : JwtValidators.createDefault());
        log.info(source.describe());
        return decoder;
    }

    @Bean
    SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http, ReactiveJwtDecoder decoder) {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers();
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .authorizeExchange(a -> a
                        .pathMatchers("/api/**").access(new PolicyAuthorizationManager(AccessPolicy.HELIOS))
                        .anyExchange().permitAll())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.jwtDecoder(decoder).jwtAuthenticationConverter(token -> Mono.just(
                                new CallerAuthentication(ClaimsReader.read(token.getSubject(), token.getClaims())))))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }
}
