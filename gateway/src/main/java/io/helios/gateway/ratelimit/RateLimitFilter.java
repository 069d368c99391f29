package io.helios.gateway.ratelimit;

import io.helios.gateway.GatewayProperties;
import io.helios.security.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Clock;

/**
 * Limits each client's request rate on every routed request: the client is the token's subject
 * when the request is authenticated (it runs after the security filters), else the remote address.
 * Over the limit it answers 429 with {@code Retry-After} (seconds) and a problem detail, without
 * calling the service; otherwise it adds {@code X-RateLimit-Remaining}.
 */
@Component
class RateLimitFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final boolean enabled;
    private final TokenBuckets buckets;
    private final Problems problems;

    RateLimitFilter(GatewayProperties properties, JsonMapper json) {
        this.problems = new Problems(json);
        GatewayProperties.RateLimit limit = properties.rateLimit();
        this.enabled = limit.enabled();
        this.buckets = new TokenBuckets(limit.capacity(), limit.refillPerSecond(), Clock.systemUTC());
    }

    @Override
    public int getOrder() {
        // before every route filter (circuit breaker, retry): a refused request costs the service nothing
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal().map(Principal::getName).map(name -> "sub:" + name)
                .defaultIfEmpty("ip:" + remote(exchange))
                .flatMap(key -> {
                    long wait = buckets.take(key);
                    if (wait == 0) {
                        exchange.getResponse().getHeaders().set("X-RateLimit-Remaining", String.valueOf(buckets.remaining(key)));
                        return chain.filter(exchange);
                    }
                    log.debug("rate limit reached for {}: retry after {} s", key, wait);
                    return tooMany(exchange, wait);
                });
    }

    private static String remote(ServerWebExchange exchange) {
        InetSocketAddress address = exchange.getRequest().getRemoteAddress();
        return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
    }

    private Mono<Void> tooMany(ServerWebExchange exchange, long retryAfterSeconds) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        response.getHeaders().set(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE);
        ProblemDetail body = Problems.tooManyRequests("request rate limit reached for this client; retry after "
                + retryAfterSeconds + " s", exchange.getRequest().getPath().value());
        DataBuffer buffer = response.bufferFactory().wrap(problems.json(body));
        return response.writeWith(Mono.just(buffer));
    }
}
