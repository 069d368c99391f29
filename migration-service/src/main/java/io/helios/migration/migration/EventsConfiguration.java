package io.helios.migration.migration;

import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the durable topic exchange the services publish their events on (declared on first connection). */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    /** Topic exchange of service events; migration phases go with routing key {@code migration.<phase>}. */
    static final String EXCHANGE = "helios.events";

    @Bean
    TopicExchange heliosEvents() {
        return new TopicExchange(EXCHANGE, true, false);
    }
}
