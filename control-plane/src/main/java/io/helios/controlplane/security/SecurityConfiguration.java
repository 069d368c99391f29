package io.helios.controlplane.security;

import io.helios.security.AccessPolicy;
import io.helios.security.ClaimsReader;
import io.helios.security.token.PemKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;

import java.util.ArrayList;
import java.util.List;

/**
 * The control plane as an OAuth2 resource server: every {@code /api/} request carries a bearer
 * token (a JWT from the configured issuer, or the static worker token) and passes the shared
 * {@link AccessPolicy}; health, metrics and the OpenAPI document stay open (the network, not a
 * token, protects them). Stateless: no session, no CSRF (no cookies are used).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties) {
        SecurityProperties.Jwt jwt = properties.jwt();
        NimbusJwtDecoder decoder;
        if (present(jwt.publicKey())) {
            decoder = NimbusJwtDecoder.withPublicKey(PemKeys.parsePublic(jwt.publicKey())).build();
            log.info("bearer tokens verified with the configured RSA public key");
        } else if (present(jwt.jwkSetUri())) {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
            log.info("bearer tokens verified with the JWK set at {}", jwt.jwkSetUri());
        } else if (present(jwt.issuerUri())) {
            decoder = NimbusJwtDecoder.withIssuerLocation(jwt.issuerUri()).build();
            log.info("bearer tokens verified with the keys of issuer {}", jwt.issuerUri());
        } else {
            throw new IllegalStateException("no key to verify bearer tokens: set helios.security.jwt.issuer-uri"
                    + " (HELIOS_JWT_ISSUER_URI), helios.security.jwt.jwk-set-uri (HELIOS_JWT_JWK_SET_URI) or"
                    + " helios.security.jwt.public-key (HELIOS_JWT_PUBLIC_KEY, PEM)");
        }
        decoder.setJwtValidator(present(jwt.issuerUri())
                ? JwtValidators.createDefaultWithIssuer(jwt.issuerUri()) : JwtValidators.createDefault());
        return decoder;
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder, SecurityProperties properties) throws Exception {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers();
        AuthenticationManager tokens = tokenAuthentication(decoder, properties);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/**").access(new PolicyAuthorizationManager(AccessPolicy.HELIOS))
                        .anyRequest().permitAll())
                .oauth2ResourceServer(o -> o
                        .authenticationManagerResolver(request -> tokens)
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }

    private static AuthenticationManager tokenAuthentication(JwtDecoder decoder, SecurityProperties properties) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        if (present(properties.workerToken())) {
            providers.add(new WorkerTokenAuthenticationProvider(properties.workerToken()));
        }
        JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
        jwt.setJwtAuthenticationConverter(token ->
                new CallerAuthentication(ClaimsReader.read(token.getSubject(), token.getClaims())));
        providers.add(jwt);
        return new ProviderManager(providers);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
