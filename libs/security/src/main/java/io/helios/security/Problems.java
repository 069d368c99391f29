package io.helios.security;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * RFC 9457 problem documents for the refusals the security layer answers itself (400, 401, 403,
 * 429, 503): Spring's {@link ProblemDetail}, written by the service's configured {@link JsonMapper}
 * (with Spring's problem-detail mix-in: empty fields left out, extra properties inline), the same
 * shape the controllers' problem answers have.
 */
public final class Problems {

    /** The media type of every problem answer. */
    public static final String MEDIA_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String TYPE_BASE = "https://helios.io/problems/";

    private final JsonMapper mapper;

    /** @param configured the service's JSON mapper; a copy with the problem-detail mix-in is used */
    public Problems(JsonMapper configured) {
        this.mapper = configured.rebuild().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
    }

    public static ProblemDetail unauthorized(String detail, String instance) {
        return problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, instance);
    }

    public static ProblemDetail forbidden(String detail, String instance) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, instance);
    }

    public static ProblemDetail tooManyRequests(String detail, String instance) {
        return problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", detail, instance);
    }

    public static ProblemDetail unavailable(String detail, String instance) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable", detail, instance);
    }

    /** A problem of type {@code https://helios.io/problems/<type>}; {@code instance} may be null. */
    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail, String instance) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + type));
        p.setTitle(title);
        if (instance != null) {
            p.setInstance(reference(instance));
        }
        return p;
    }

    /** A raw (encoded) path as it is; a decoded one with its unsafe characters encoded. */
    private static URI reference(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException decoded) {
            try {
                return new URI(null, null, path, null);
            } catch (URISyntaxException unusable) {
                return null;
            }
        }
    }

    /** The problem as UTF-8 JSON. */
    public byte[] json(ProblemDetail problem) {
        return mapper.writeValueAsBytes(problem);
    }
}
