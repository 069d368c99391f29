package io.helios.controlplane.audit;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Puts the audit filter in front of the security filters, so refusals are recorded too. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(AuditRepository audit, Clock clock) {
        FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(new AuditFilter(audit, clock));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }
}
