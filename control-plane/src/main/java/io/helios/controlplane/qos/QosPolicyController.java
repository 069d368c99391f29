package io.helios.controlplane.qos;

import org.springframework.web.bind.annotation.RequestParam;
import io.swagger.v3.oas.annotations.Parameter;
import io.helios.service.web.Paging;
import io.helios.service.web.ListPage;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** REST resource for QoS policies: {@code /api/v1/qos-policies}. */
@RestController
@RequestMapping("/api/v1/qos-policies")
@Tag(name = "QoS policies", description = "Service tiers, lag bounds, compression and priority")
class QosPolicyController {

    private final QosPolicyService service;

    QosPolicyController(QosPolicyService service) {
        this.service = service;
    }

    @PostMapping
    @Operation(summary = "Define a QoS policy")
    @ProblemResponses({400, 409})
    ResponseEntity<QosPolicyView> create(@Valid @RequestBody QosPolicyRequest request) {
        QosPolicyView view = QosPolicyView.of(service.create(request));
        return ResponseEntity.created(URI.create("/api/v1/qos-policies/" + view.id())).body(view);
    }

    @GetMapping
    @Operation(summary = "List QoS policies", description = "One page in id order; follow `next` for the rest.")
    @ProblemResponses({400})
    ListPage<QosPolicyView> list(
            @Parameter(description = "Items per page, 1 to 1000 (default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The `next` of the previous page") @RequestParam(required = false) String cursor) {
        return Paging.of(limit, cursor).collect(UUID::fromString, service::listAfter, QosPolicy::id,
                p -> true, QosPolicyView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a QoS policy")
    @ProblemResponses({400, 404})
    QosPolicyView get(@PathVariable UUID id) {
        return QosPolicyView.of(service.get(id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a QoS policy")
    @ProblemResponses({400, 404, 409})
    QosPolicyView update(@PathVariable UUID id, @Valid @RequestBody QosPolicyRequest request) {
        return QosPolicyView.of(service.update(id, request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a QoS policy", description = "Refused while a replication refers to it.")
    @ProblemResponses({400, 404, 409})
    void delete(@PathVariable UUID id) {
        service.delete(id);
    }
}
