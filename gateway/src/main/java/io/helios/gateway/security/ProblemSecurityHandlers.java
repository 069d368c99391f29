package io.helios.gateway.security;

import io.helios.security.Problems;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 400 (a request line the firewall refuses), 401 (with {@code WWW-Authenticate: Bearer}) and 403 as
 * RFC 9457 problem details; the token is never echoed.
 */
final class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler,
        ServerExchangeRejectedHandler {

    private final Problems problems;

    ProblemSecurityHandlers(Problems problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        boolean shown = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                shown ? "Bearer error=\"invalid_token\"" : "Bearer");
        String detail = shown ? "the bearer token is invalid, expired or not signed by a trusted key"
                : "a bearer token is required (Authorization: Bearer <token>)";
        return write(exchange, HttpStatus.UNAUTHORIZED, Problems.unauthorized(detail, path(exchange)));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException e) {
        String detail = "your token does not allow this operation";
        if (e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof PolicyAuthorizationManager.Refusal refusal) {
            detail = refusal.reason();
        } else if (exchange.getAttribute(PolicyAuthorizationManager.REASON) instanceof String reason) {
            detail = reason;
        }
        return write(exchange, HttpStatus.FORBIDDEN, Problems.forbidden(detail, path(exchange)));
    }

    /**
     * The firewall refused the request line ({@code //}, dot segments, {@code ;}, encoded separators):
     * 400 with a problem detail, and the connection is closed after it. The request's body is never
     * read, and a client that reuses the connection (keep-alive) was seen to wait for an answer to its
     * next request that never came; closing costs a reconnect for a request that was malformed anyway.
     */
    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException e) {
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return write(exchange, HttpStatus.BAD_REQUEST, Problems.problem(HttpStatus.BAD_REQUEST, "malformed-path", "Malformed path",
                "the request path is not in canonical form (encoded separators, dot segments, empty segments or"
                        + " parameters); send the path the API documents", null));
    }

    private static String path(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().value();
    }

    private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, ProblemDetail problem) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().set(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE);
        DataBuffer buffer = response.bufferFactory().wrap(problems.json(problem));
        return response.writeWith(Mono.just(buffer));
    }
}
