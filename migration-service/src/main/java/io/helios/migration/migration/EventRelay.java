package io.helios.migration.migration;

import io.helios.migration.MigrationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Sends the outbox's phase-change events to the topic exchange {@value EventsConfiguration#EXCHANGE}
 * in order, marking each once the broker took it (at least once: a crash between send and mark sends
 * it again). With the broker down the events wait in the outbox. Runs on the scheduler's thread.
 */
@Component
class EventRelay {

    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);

    private final MigrationRepository repository;
    private final ObjectProvider<AmqpTemplate> amqp;
    private final boolean enabled;

    EventRelay(MigrationRepository repository, ObjectProvider<AmqpTemplate> amqp, MigrationProperties properties) {
        this.repository = repository;
        this.amqp = amqp;
        this.enabled = properties.broker().enabled();
    }

    @Scheduled(fixedDelayString = "${helios.migrations.event-interval:250ms}")
    void relay() {
        AmqpTemplate template = amqp.getIfAvailable();
        if (!enabled || template == null) {
            return;
        }
        try {
            for (MigrationRepository.PendingEvent e : repository.unpublished(100)) {
                template.send(EventsConfiguration.EXCHANGE, e.routingKey(), MessageBuilder
                        .withBody(e.payload().getBytes(StandardCharsets.UTF_8)).setContentType("application/json")
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT).build());
                repository.published(e.seq());
                log.debug("published {} {}", e.routingKey(), e.payload());
            }
        } catch (RuntimeException e) {
            log.debug("events wait in the outbox, the broker is unavailable: {}", e.getMessage());
        }
    }
}
