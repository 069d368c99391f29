package io.helios.failover.window;

import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/maintenance-windows}: spans without automatic failover. */
@RestController
@RequestMapping("/api/v1/maintenance-windows")
@Tag(name = "Maintenance windows", description = "Spans in which tenants are not failed over automatically")
class MaintenanceWindowController {

    private final MaintenanceWindows windows;

    MaintenanceWindowController(MaintenanceWindows windows) {
        this.windows = windows;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Open a maintenance window")
    @ProblemResponses({400})
    MaintenanceWindowView create(@Valid @RequestBody MaintenanceWindowRequest request) {
        return MaintenanceWindowView.of(windows.create(request), windows.now());
    }

    @GetMapping
    @Operation(summary = "List maintenance windows (a restricted token sees its tenants' and the global ones)")
    List<MaintenanceWindowView> list() {
        Instant now = windows.now();
        return windows.list().stream().map(w -> MaintenanceWindowView.of(w, now)).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a maintenance window")
    @ProblemResponses({404})
    MaintenanceWindowView get(@PathVariable UUID id) {
        return MaintenanceWindowView.of(windows.get(id), windows.now());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Close (delete) a maintenance window")
    @ProblemResponses({404})
    void delete(@PathVariable UUID id) {
        windows.delete(id);
    }
}
