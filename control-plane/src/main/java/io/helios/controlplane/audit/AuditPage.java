package io.helios.controlplane.audit;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A page of audit records, newest first. */
@Schema(description = "A page of audit records, newest first")
public record AuditPage(List<AuditEvent> items, int page, int size, long total) {
}
