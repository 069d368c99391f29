package io.helios.controlplane.events;

import io.helios.controlplane.HeliosProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@link RouteChanged} (persistent, JSON) to {@value AmqpConfiguration#EVENTS} after the
 * move committed. Clients that cache routes subscribe to it; the directory
 * ({@code GET /api/v1/tenants/{id}/route}) stays the truth, and the old primary refuses the
 * tenant's writes naming the new one, so a lost event costs a client one refused write and a
 * re-read, never a write in the wrong place. A broker that is down is logged at WARN (a route
 * change is rare and operators want to know it was not announced); sending happens on one
 * background thread so a broker that does not answer never delays the move.
 */
@Component
class RouteEventsPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RouteEventsPublisher.class);

    private final ObjectProvider<AmqpTemplate> amqp;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final boolean enabled;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000), r -> new Thread(r, "helios-route-events"),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    RouteEventsPublisher(ObjectProvider<AmqpTemplate> amqp, HeliosProperties properties) {
        this.amqp = amqp;
        this.enabled = properties.broker().enabled();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(RouteChanged event) {
        if (!enabled) {
            log.debug("broker disabled: not publishing {}", event);
            return;
        }
        sender.execute(() -> send(event));
    }

    private void send(RouteChanged event) {
        AmqpTemplate template = amqp.getIfAvailable();
        if (template == null) {
            log.warn("no AMQP template: tenant {} route change to epoch {} not announced", event.tenantId(),
                    event.routingEpoch());
            return;
        }
        try {
            byte[] body = toJson(event).getBytes(StandardCharsets.UTF_8);
            template.send(AmqpConfiguration.EVENTS, RouteChanged.ROUTING_KEY, MessageBuilder.withBody(body)
                    .setContentType("application/json").setDeliveryMode(MessageDeliveryMode.PERSISTENT).build());
            log.debug("published {}", event);
        } catch (RuntimeException e) {
            log.warn("broker unavailable: tenant {} route change to epoch {} not announced ({})", event.tenantId(),
                    event.routingEpoch(), e.getMessage());
        }
    }

    static String toJson(RouteChanged e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", RouteChanged.ROUTING_KEY);
        m.put("tenantId", e.tenantId());
        m.put("primaryEndpointId", e.primaryEndpointId());
        m.put("region", e.region());
        m.put("routingEpoch", e.routingEpoch());
        m.put("previousEndpointId", e.previousEndpointId());
        m.put("reason", e.reason());
        m.put("at", e.at().toString());
        return JSON.writeValueAsString(m);
    }

    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }
}
