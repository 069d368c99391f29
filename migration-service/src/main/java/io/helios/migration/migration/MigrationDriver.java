package io.helios.migration.migration;

import io.helios.migration.MigrationProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Moves migrations forward: on every tick it takes (or renews) the lease of the active migrations
 * nobody else holds ({@code FOR UPDATE SKIP LOCKED} in this service's database, so one replica acts
 * on a migration at a time) and runs one step of each from its persisted phase. A step that fails
 * is logged with the migration and phase, recorded as its {@code last_error}, and tried again on
 * the next tick; after a restart the same loop resumes every migration where its row says it is.
 * Single-threaded (the scheduler's thread).
 */
@Component
class MigrationDriver implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MigrationDriver.class);

    private final MigrationRepository repository;
    private final MigrationSteps steps;
    private final MigrationProperties.Migrations config;
    private final MeterRegistry meters;

    MigrationDriver(MigrationRepository repository, MigrationSteps steps, MigrationProperties properties,
                    MeterRegistry meters) {
        this.repository = repository;
        this.steps = steps;
        this.config = properties.migrations();
        this.meters = meters;
        log.info("migration driver {}: tick {}, lease ttl {}", config.instanceId(), config.tick(), config.leaseTtl());
    }

    @Scheduled(fixedDelayString = "${helios.migrations.tick:500ms}", initialDelayString = "${helios.migrations.tick:500ms}")
    void tick() {
        List<UUID> mine;
        try {
            mine = repository.claim(config.instanceId(), config.leaseTtl(), 32);
        } catch (RuntimeException e) {
            log.warn("migration driver: cannot read migrations from the service database: {}", e.getMessage());
            return;
        }
        for (UUID id : mine) {
            repository.find(id).ifPresent(this::step);
        }
    }

    private void step(Migration m) {
        try {
            steps.advance(m, config.instanceId());
        } catch (RuntimeException | java.sql.SQLException e) {
            meters.counter("helios.migration.step.failures", "phase", m.phase().name()).increment();
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warn("migration {} of tenant {} in {}: step failed, retrying next tick: {}", m.id(), m.tenantId(),
                    m.phase(), message);
            log.debug("step failure", e);
            repository.set(m.id(), config.instanceId(), Map.of("last_error", truncate(message)));
        }
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    @Override
    public void destroy() {
        try {
            repository.release(config.instanceId());
        } catch (RuntimeException e) {
            log.debug("could not give leases back: {}", e.getMessage());
        }
    }
}
