package io.helios.controlplane.lease;

import org.springframework.data.annotation.Id;

import java.time.Instant;

/** A registered worker: where it runs, how many replications it takes, when it last beat. */
public record Worker(@Id String id, String address, int capacity, Instant registeredAt, Instant lastHeartbeatAt) {
}
