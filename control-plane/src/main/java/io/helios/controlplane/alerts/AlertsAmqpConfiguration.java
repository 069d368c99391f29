package io.helios.controlplane.alerts;

import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the topic exchange alerts go to (declared when the first broker connection opens). */
@Configuration(proxyBeanMethods = false)
class AlertsAmqpConfiguration {

    /** Topic exchange of {@link Alert}s: JSON messages, routing key = the alert's type. */
    static final String EXCHANGE = "helios.alerts";

    @Bean
    TopicExchange alertsExchange() {
        return new TopicExchange(EXCHANGE, true, false);
    }
}
