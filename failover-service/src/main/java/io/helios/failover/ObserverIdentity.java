package io.helios.failover;

import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.util.UUID;

/**
 * This replica's name among the observers: {@code helios.observer-id}, else the host name plus a
 * random suffix (two replicas on one host must not count as one observer). Immutable.
 */
@Component
public class ObserverIdentity {

    private final String id;

    public ObserverIdentity(FailoverProperties properties) {
        String configured = properties.observerId();
        this.id = configured != null && !configured.isBlank() ? configured : hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "failover";
        }
    }
}
