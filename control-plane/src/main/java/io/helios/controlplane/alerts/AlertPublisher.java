package io.helios.controlplane.alerts;

import io.helios.controlplane.HeliosProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Message;
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
 * Sends every {@link Alert} published in-process to the {@value AlertsAmqpConfiguration#EXCHANGE}
 * topic exchange after the publishing transaction committed (at once when there is none), on one
 * background thread with a bounded queue so a silent broker never delays maintenance.
 *
 * <p>Like assignment notifications there is no outbox: the state an alert reports is persisted
 * (status API, metrics) and logged at WARN when it happens, so a broker outage loses the push,
 * not the fact. With {@code helios.broker.enabled=false} alerts are only logged.
 */
@Component
class AlertPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AlertPublisher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectProvider<AmqpTemplate> amqp;
    private final boolean enabled;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000), r -> new Thread(r, "helios-alerts-publisher"),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    AlertPublisher(ObjectProvider<AmqpTemplate> amqp, HeliosProperties properties) {
        this.amqp = amqp;
        this.enabled = properties.broker().enabled();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(Alert alert) {
        log.warn("alert {}", alert);
        if (enabled) {
            sender.execute(() -> send(alert));
        }
    }

    private void send(Alert alert) {
        AmqpTemplate template = amqp.getIfAvailable();
        if (template == null) {
            return;
        }
        try {
            MessageProperties props = new MessageProperties();
            props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            props.setType(alert.type());
            template.send(AlertsAmqpConfiguration.EXCHANGE, alert.type(),
                    new Message(toJson(alert).getBytes(StandardCharsets.UTF_8), props));
        } catch (RuntimeException e) {
            log.debug("broker unavailable, alert {} only logged: {}", alert.type(), e.getMessage());
        }
    }

    static String toJson(Alert alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", alert.type());
        body.putAll(JSON.convertValue(alert, Map.class));
        return JSON.writeValueAsString(body);
    }

    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }
}
