package io.helios.gateway.security;

import io.helios.security.Problems;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;

/** 401 (with {@code WWW-Authenticate: Bearer}) and 403 as RFC 9457 problem details; the token is never echoed. */
final class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

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

    private static String path(ServerWebExchange exchange) {
        return exchange.getRequest().getPath().value();
    }

    static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String body) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().set(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE);
        DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
