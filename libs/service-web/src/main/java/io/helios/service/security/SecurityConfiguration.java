package io.helios.service.security;

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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * A service as an OAuth2 resource server, failing closed: every {@code /api/} request
 * carries a bearer token (a JWT of the configured issuer and audience, with an expiry) and passes the shared {@link AccessPolicy}, judged on the path the handler
 * mappings dispatch on; only {@link PublicPaths} (health, Prometheus, the OpenAPI document,
 * Swagger UI) are answered without a token, and every other request is refused. Stateless: no
 * session, no CSRF (no cookies are used).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties) {
        SecurityProperties.Jwt jwt = properties.jwt();
        JwtKeySource source = JwtKeySource.of(jwt.issuerUri(), jwt.jwkSetUri(), jwt.publicKey());
        NimbusJwtDecoder decoder;
        if (source instanceof JwtKeySource.PublicKey k) {
            decoder = NimbusJwtDecoder.withPublicKey(k.key()).build();
        } else if (source instanceof JwtKeySource.JwkSet k) {
            decoder = NimbusJwtDecoder.withJwkSetUri(k.uri()).build();
        } else {
            decoder = NimbusJwtDecoder.withIssuerLocation(source.issuer()).build();
        }
        decoder.setJwtValidator(TokenRules.validator(source.issuer(), jwt.audience()));
        log.info("{}; audience {}, roles from claim {}", source.describe(), jwt.audience(), jwt.rolesClaim());
        return decoder;
    }

    @Bean
    WebSecurityCustomizer malformedPathsAreProblems(JsonMapper json) {
        return web -> web.requestRejectedHandler(new ProblemSecurityHandlers(new Problems(json)));
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder, SecurityProperties properties, JsonMapper json,
                                    ObjectProvider<CallerAuthenticationConverter> converter) throws Exception {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(new Problems(json));
        AuthenticationManager tokens = tokenAuthentication(decoder, properties,
                converter.getIfAvailable(() -> CallerAuthenticationConverter.CALLER_ONLY));
        // request matchers match the decoded, parameter-free path the handler mappings dispatch on (after the
        // firewall refused //, /./, /../, ;, %2F, %25 and the like with 400); everything not listed is refused
        // (Spring Boot's error page included: refusals and problem details are written without it)
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, PublicPaths.all()).permitAll()
                        .requestMatchers("/api/**").access(new PolicyAuthorizationManager(AccessPolicy.HELIOS))
                        .anyRequest().denyAll())
                .oauth2ResourceServer(o -> o
                        .authenticationManagerResolver(request -> tokens)
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }

    private static AuthenticationManager tokenAuthentication(JwtDecoder decoder, SecurityProperties properties,
                                                             CallerAuthenticationConverter converter) {
        JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
        ClaimsReader claims = new ClaimsReader(properties.jwt().rolesClaim());
        jwt.setJwtAuthenticationConverter(token -> converter.convert(claims.read(token.getSubject(), token.getClaims()),
                token));
        return new ProviderManager(List.of(jwt));
    }
}
