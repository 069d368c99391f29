package io.helios.worker.lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.ExchangeTypes;
import org.springframework.amqp.rabbit.annotation.Exchange;
import org.springframework.amqp.rabbit.annotation.Queue;
import org.springframework.amqp.rabbit.annotation.QueueBinding;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Heartbeats at once when the control plane announces that assignments changed, so a new or
 * moved lease starts within milliseconds rather than at the next heartbeat. The event is a
 * notification only: heartbeats stay the source of truth.
 */
@Component
@ConditionalOnProperty(name = "helios.broker.enabled", havingValue = "true", matchIfMissing = true)
public class AssignmentListener {

    private static final Logger log = LoggerFactory.getLogger(AssignmentListener.class);

    private final LeaseKeeper keeper;

    public AssignmentListener(LeaseKeeper keeper) {
        this.keeper = keeper;
    }

    @RabbitListener(bindings = @QueueBinding(value = @Queue(exclusive = "true", autoDelete = "true"),
            exchange = @Exchange(value = "helios.assignments", type = ExchangeTypes.FANOUT)))
    public void onAssignmentsChanged(org.springframework.amqp.core.Message event) {
        log.debug("assignments changed: heartbeating now");
        keeper.wakeUp();
    }
}
