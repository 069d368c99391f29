package io.helios.failover.failover;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes what happens to failovers: JSON events on the durable topic exchange
 * {@value #EVENTS} (routing key {@code failover.<event>}: {@code failover.promoted},
 * {@code failover.old-primary-fenced}, {@code failover.quarantined}, {@code failover.failed}) and
 * alerts on {@value #ALERTS} (routing key the alert's type, as the control plane's alerts). Sent on
 * one background thread with a bounded queue: a silent broker never delays a failover. The state
 * itself is persisted (API) and logged at WARN, so a broker outage loses the push, not the fact.
 */
@Component
public class FailoverEvents implements DisposableBean {

    static final String EVENTS = "helios.events";
    static final String ALERTS = "helios.alerts";

    private static final Logger log = LoggerFactory.getLogger(FailoverEvents.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectProvider<AmqpTemplate> amqp;
    private final boolean enabled;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000), r -> new Thread(r, "helios-failover-events"),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    FailoverEvents(ObjectProvider<AmqpTemplate> amqp, @Value("${helios.broker.enabled:true}") boolean enabled) {
        this.amqp = amqp;
        this.enabled = enabled;
    }

    /** {@code failover.<event>} with the failover's identity and {@code extra}. */
    void event(String event, Failover f, Map<String, Object> extra, Instant at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "failover." + event);
        body.put("failoverId", f.id());
        body.put("tenantId", f.tenantId());
        body.put("replicationId", f.replicationId());
        body.put("oldPrimaryEndpointId", f.oldPrimaryId());
        body.put("newPrimaryEndpointId", f.newPrimaryId());
        body.put("trigger", f.trigger());
        body.putAll(extra);
        body.put("at", at.toString());
        log.info("event failover.{} {}", event, body);
        send(EVENTS, "failover." + event, body);
    }

    /** An alert an operator must hear about ({@code TenantFailedOver}, {@code FailoverFailed}, ...). */
    void alert(String type, Failover f, String detail, Instant at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("tenantId", f.tenantId());
        body.put("failoverId", f.id());
        body.put("detail", detail);
        body.put("occurredAt", at.toString());
        log.warn("alert {}", body);
        send(ALERTS, type, body);
    }

    private void send(String exchange, String key, Map<String, Object> body) {
        if (!enabled) {
            return;
        }
        sender.execute(() -> {
            AmqpTemplate template = amqp.getIfAvailable();
            if (template == null) {
                return;
            }
            try {
                MessageProperties props = new MessageProperties();
                props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
                props.setType(key);
                template.send(exchange, key, new Message(JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8), props));
            } catch (RuntimeException e) {
                log.debug("broker unavailable, {} only logged: {}", key, e.getMessage());
            }
        });
    }

    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }

    /** Declares both exchanges (durable topic exchanges, declared when the first broker connection opens). */
    @Configuration(proxyBeanMethods = false)
    static class Exchanges {

        @Bean
        TopicExchange heliosEvents() {
            return new TopicExchange(EVENTS, true, false);
        }

        @Bean
        TopicExchange heliosAlerts() {
            return new TopicExchange(ALERTS, true, false);
        }
    }

    static Map<String, Object> of(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

}
