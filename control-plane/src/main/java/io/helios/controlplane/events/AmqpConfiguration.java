package io.helios.controlplane.events;

import org.springframework.amqp.core.FanoutExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the fanout exchange workers bind their own (exclusive, auto-delete) queues to.
 * The declaration happens when the first broker connection opens; with no broker it never does.
 */
@Configuration(proxyBeanMethods = false)
public class AmqpConfiguration {

    /** Exchange on which {@link AssignmentsChanged} is published (JSON, routing key ignored). */
    public static final String EXCHANGE = "helios.assignments";

    @Bean
    FanoutExchange assignmentsExchange() {
        return new FanoutExchange(EXCHANGE, true, false);
    }
}
