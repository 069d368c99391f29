package io.helios.failover.policy;

import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** {@code /api/v1/failover-policies}: when tenants fail over automatically. */
@RestController
@RequestMapping("/api/v1/failover-policies")
@Tag(name = "Failover policies", description = "Thresholds and RPO bounds of automatic failover, per tenant or replication")
class FailoverPolicyController {

    private final FailoverPolicies policies;

    FailoverPolicyController(FailoverPolicies policies) {
        this.policies = policies;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a failover policy")
    @ProblemResponses({400, 409})
    FailoverPolicyView create(@Valid @RequestBody FailoverPolicyRequest request) {
        return FailoverPolicyView.of(policies.create(request));
    }

    @GetMapping
    @Operation(summary = "List failover policies (a restricted token sees its tenants' only)")
    List<FailoverPolicyView> list() {
        return policies.list().stream().map(FailoverPolicyView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a failover policy")
    @ProblemResponses({404})
    FailoverPolicyView get(@PathVariable UUID id) {
        return FailoverPolicyView.of(policies.get(id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace a failover policy")
    @ProblemResponses({400, 404, 409})
    FailoverPolicyView replace(@PathVariable UUID id, @Valid @RequestBody FailoverPolicyRequest request) {
        return FailoverPolicyView.of(policies.replace(id, request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a failover policy (its tenant falls back to the defaults)")
    @ProblemResponses({404})
    void delete(@PathVariable UUID id) {
        policies.delete(id);
    }
}
