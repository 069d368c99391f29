package io.helios.controlplane.audit;

import io.helios.service.web.ApiException;
import io.helios.service.web.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/** The audit trail, for admins: {@code GET /api/v1/audit} and {@code GET /api/v1/audit/verify}. */
@RestController
@Tag(name = "Audit", description = "Who changed what, when, and how it ended (admins only)")
class AuditController {

    private static final int MAX_SIZE = 500;

    private final AuditRepository audit;
    private final AuditVerifier verifier;
    private final AuditProperties properties;

    AuditController(AuditRepository audit, AuditVerifier verifier, AuditProperties properties) {
        this.audit = audit;
        this.verifier = verifier;
        this.properties = properties;
    }

    @GetMapping("/api/v1/audit/verify")
    @Operation(summary = "Verify the audit hash chain", description = "Walks the chain from its first row (at most"
            + " `limit` rows), recomputing every hash, and checks the chain head and the newest signed checkpoint."
            + " Answers intact, or the first broken row and why.")
    @ProblemResponses({400})
    AuditVerification verify(@Parameter(description = "Most rows to walk (default and ceiling: helios.audit.verify-max-rows)")
                             @RequestParam(required = false) Integer limit) {
        int max = properties.verifyMaxRows();
        if (limit != null && (limit < 1 || limit > max)) {
            throw ApiException.invalid("limit", "must be between 1 and " + max);
        }
        return verifier.verify(limit == null ? max : limit);
    }

    @GetMapping("/api/v1/audit")
    @Operation(summary = "Search the audit trail", description = "Mutating requests, newest first, with optional filters.")
    @ProblemResponses({400})
    AuditPage search(@Parameter(description = "Token subject") @RequestParam(required = false) String subject,
                     @Parameter(description = "Tenant id") @RequestParam(required = false) String tenantId,
                     @Parameter(description = "Target resource id") @RequestParam(required = false) String targetId,
                     @Parameter(description = "HTTP method") @RequestParam(required = false) String method,
                     @Parameter(description = "From this instant (inclusive, ISO-8601)")
                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                     @Parameter(description = "Until this instant (exclusive, ISO-8601)")
                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                     @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
                     @Parameter(description = "Page size, at most 500") @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw ApiException.invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.invalid("size", "must be between 1 and " + MAX_SIZE);
        }
        return audit.find(new AuditRepository.AuditQuery(subject, tenantId, targetId, method, from, to, page, size));
    }
}
