package io.helios.service.web;

import org.springframework.http.HttpStatus;

import java.net.URI;

/**
 * An expected failure of an API call that carries its own HTTP status and problem type;
 * turned into an RFC 9457 problem detail by {@link ProblemHandler}. Messages never contain
 * secrets.
 */
public class ApiException extends RuntimeException {

    private static final String TYPE_BASE = "https://helios.io/problems/";

    private final HttpStatus status;
    private final String type;
    private final String title;

    public ApiException(HttpStatus status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " '" + id + "' does not exist");
    }

    /** An id in a request body names nothing. */
    public static ApiException unknownReference(String field, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "unknown-reference", "Unknown reference",
                field + ": '" + id + "' does not exist");
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", field + ": " + message);
    }

    public static ApiException conflict(String type, String title, String detail) {
        return new ApiException(HttpStatus.CONFLICT, type, title, detail);
    }

    public static ApiException unprocessable(String type, String title, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, type, title, detail);
    }

    /** A data source endpoint cannot be reached or used (the control plane's connection probe). */
    public static ApiException unreachable(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "endpoint-unreachable", "Endpoint unreachable", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return URI.create(TYPE_BASE + type);
    }

    public String title() {
        return title;
    }
}
