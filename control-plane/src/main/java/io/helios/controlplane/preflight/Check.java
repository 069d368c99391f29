package io.helios.controlplane.preflight;

import io.swagger.v3.oas.annotations.media.Schema;

/** One finding of a preflight: what was checked, how it went, and what to do about it. */
@Schema(description = "One preflight check")
public record Check(
        @Schema(example = "wal_level") String name,
        Status status,
        @Schema(example = "wal_level is logical") String detail) {

    /** OK: ready; WARN: works but worth attention; FAIL: the replication cannot run until fixed. */
    public enum Status { OK, WARN, FAIL }

    static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail);
    }

    static Check warn(String name, String detail) {
        return new Check(name, Status.WARN, detail);
    }

    static Check fail(String name, String detail) {
        return new Check(name, Status.FAIL, detail);
    }
}
