package io.helios.worker.security;

import io.helios.security.PublicPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.http.HttpStatus;

/**
 * The worker's HTTP surface, failing closed: it serves no API, so the only requests it answers
 * are GET on health (the whole and the liveness/readiness groups, without details) and
 * Prometheus; everything else, any other actuator endpoint or spelling included, is refused with
 * 403 before it is routed. The list is the suite's public actuator list (helios-security's
 * {@link PublicPaths#ACTUATOR}).
 * No authentication: nobody logs in to a worker.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurity {

    static final String[] PUBLIC = PublicPaths.actuator();

    @Bean
    SecurityFilterChain workerSecurity(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, PUBLIC).permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.FORBIDDEN)))
                .build();
    }
}
