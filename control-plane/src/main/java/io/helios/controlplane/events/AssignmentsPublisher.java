package io.helios.controlplane.events;

import io.helios.controlplane.HeliosProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@link AssignmentsChanged} to the fanout exchange {@value AmqpConfiguration#EXCHANGE}
 * after the changing transaction committed, so workers heartbeat at once.
 *
 * <p>This is a notification only: workers learn their leases from heartbeats, which work
 * without a broker (just slower). A lost message costs at most one heartbeat interval, which
 * is why there is no outbox here. When the broker is down or {@code helios.broker.enabled} is
 * false, the event is dropped with a debug line. Sending happens on one background thread
 * (bounded queue, oldest dropped) so a broker that does not answer never delays an API call.
 */
@Component
class AssignmentsPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AssignmentsPublisher.class);

    private final ObjectProvider<AmqpTemplate> amqp;
    private final boolean enabled;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(100), r -> new Thread(r, "helios-assignments-publisher"),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    AssignmentsPublisher(ObjectProvider<AmqpTemplate> amqp, HeliosProperties properties) {
        this.amqp = amqp;
        this.enabled = properties.broker().enabled();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(AssignmentsChanged event) {
        if (!enabled) {
            log.debug("broker disabled: not publishing {}", event);
            return;
        }
        sender.execute(() -> send(event));
    }

    private void send(AssignmentsChanged event) {
        AmqpTemplate template = amqp.getIfAvailable();
        if (template == null) {
            log.debug("no AMQP template: not publishing {}", event);
            return;
        }
        try {
            template.convertAndSend(AmqpConfiguration.EXCHANGE, "", toJson(event));
            log.debug("published {}", event);
        } catch (RuntimeException e) {
            log.debug("broker unavailable, workers will learn from their next heartbeat: {}", e.getMessage());
        }
    }

    static String toJson(AssignmentsChanged e) {
        StringBuilder ids = new StringBuilder();
        e.replicationIds().forEach(id -> ids.append(ids.isEmpty() ? "" : ",").append('"').append(id).append('"'));
        return "{\"type\":\"AssignmentsChanged\",\"reason\":\"" + e.reason().replace("\"", "'")
                + "\",\"replicationIds\":[" + ids + "],\"occurredAt\":\"" + e.occurredAt() + "\"}";
    }

    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }
}
