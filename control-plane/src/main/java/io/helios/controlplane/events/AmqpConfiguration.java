package io.helios.controlplane.events;

import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the fanout exchange workers bind their own (exclusive, auto-delete) queues to, and the
 * durable topic exchange of the suite's domain events ({@link RouteChanged}; the migration and
 * failover services publish theirs there too, keys {@code migration.*} and {@code failover.*}).
 * The declaration happens when the first broker connection opens; with no broker it never does.
 */
@Configuration(proxyBeanMethods = false)
public class AmqpConfiguration {

    /** Exchange on which {@link AssignmentsChanged} is published (JSON, routing key ignored). */
    public static final String EXCHANGE = "helios.assignments";

    /** Topic exchange of domain events (JSON; the routing key names the event). */
    public static final String EVENTS = "helios.events";

    @Bean
    TopicExchange eventsExchange() {
        return new TopicExchange(EVENTS, true, false);
    }

    @Bean
    FanoutExchange assignmentsExchange() {
        return new FanoutExchange(EXCHANGE, true, false);
    }
}
