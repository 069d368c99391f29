package io.helios.failover.window;

import io.helios.service.security.TenantGuard;
import io.helios.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Maintenance windows: open, list and close them under the caller's tenant restriction (a window
 * over every tenant needs an unrestricted token), and answer the window that suppresses a
 * tenant's automatic failover now.
 */
@Service
public class MaintenanceWindows {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceWindows.class);

    private final MaintenanceWindowRepository repository;
    private final TenantGuard guard;
    private final Clock clock;

    MaintenanceWindows(MaintenanceWindowRepository repository, TenantGuard guard, Clock clock) {
        this.repository = repository;
        this.guard = guard;
        this.clock = clock;
    }

    /** The window that covers {@code tenantId} at {@code at}, if any. */
    public Optional<MaintenanceWindow> covering(String tenantId, Instant at) {
        return repository.findEndingAfter(at).stream().filter(w -> w.covers(tenantId, at)).findFirst();
    }

    MaintenanceWindow create(MaintenanceWindowRequest r) {
        if (!r.endsAt().isAfter(r.startsAt())) {
            throw ApiException.invalid("endsAt", "must be after startsAt");
        }
        if (r.tenantId() == null) {
            if (guard.access().restricted()) {
                throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                        "a window over every tenant needs a token valid for all tenants; name your tenant in tenantId");
            }
        } else {
            guard.requireForCreation(r.tenantId());
        }
        MaintenanceWindow w = repository.save(new MaintenanceWindow(UUID.randomUUID(), r.tenantId(), r.startsAt(),
                r.endsAt(), r.reason(), clock.instant(), null));
        log.info("maintenance window {} for {} from {} to {}: {}", w.id(),
                w.tenantId() == null ? "every tenant" : "tenant " + w.tenantId(), w.startsAt(), w.endsAt(), w.reason());
        return w;
    }

    MaintenanceWindow get(UUID id) {
        MaintenanceWindow w = repository.findById(id).orElseThrow(() -> ApiException.notFound("maintenance window", id));
        if (w.tenantId() != null) {
            guard.require(w.tenantId(), () -> ApiException.notFound("maintenance window", id));
        }
        return w;
    }

    /** Windows visible to the caller: a restricted one sees its tenants' and the global ones. */
    List<MaintenanceWindow> list() {
        return repository.findAllOrdered().stream().filter(w -> w.tenantId() == null || guard.visible(w.tenantId())).toList();
    }

    void delete(UUID id) {
        MaintenanceWindow w = get(id);
        if (w.tenantId() == null && guard.access().restricted()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "a window over every tenant can be closed only with a token valid for all tenants");
        }
        repository.deleteById(id);
        log.info("maintenance window {} closed", id);
    }

    Instant now() {
        return clock.instant();
    }
}
