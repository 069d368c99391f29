package io.helios.gateway.ratelimit;

import io.helios.security.Problems;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import tools.jackson.databind.json.JsonMapper;

/**
 * Gives the {@code RequestRateLimiter}'s bodiless 429 a problem detail: the filter completes the
 * response without a body, this decorator writes the problem instead (the limiter has already set
 * {@code Retry-After}). A refusal because the shared store does not answer
 * ({@link LimitAnswers#STORE_UNAVAILABLE_HEADER}, {@code on-store-failure=refuse}) becomes a 503
 * problem instead: the client did not exceed its rate.
 */
final class RateLimitProblemFilter implements GlobalFilter, Ordered {

    private final Problems problems;

    RateLimitProblemFilter(JsonMapper json) {
        this.problems = new Problems(json);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        ServerHttpResponse response = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> setComplete() {
                if (HttpStatus.TOO_MANY_REQUESTS.equals(getStatusCode()) && !isCommitted()) {
                    String retry = getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
                    String after = retry == null ? "a while" : retry + " s";
                    ProblemDetail body;
                    if (getHeaders().remove(LimitAnswers.STORE_UNAVAILABLE_HEADER) != null) {
                        setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
                        body = Problems.unavailable("the rate limit store does not answer, so requests are refused"
                                + " for now; retry after " + after, path);
                    } else {
                        body = Problems.tooManyRequests("request rate limit reached for this client; retry after "
                                + after, path);
                    }
                    getHeaders().set(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE);
                    return writeWith(Mono.just(bufferFactory().wrap(problems.json(body))));
                }
                return super.setComplete();
            }
        };
        return chain.filter(exchange.mutate().response(response).build());
    }
}
