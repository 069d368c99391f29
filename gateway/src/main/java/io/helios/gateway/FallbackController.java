package io.helios.gateway;

import io.helios.security.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.LinkedHashSet;

/**
 * Where a route's circuit breaker forwards when its service cannot be reached, timed out, or its
 * circuit is open: a 503 problem detail naming the service, with {@code Retry-After}.
 */
@RestController
class FallbackController {

    private static final Logger log = LoggerFactory.getLogger(FallbackController.class);

    private final Problems problems;

    FallbackController(JsonMapper json) {
        this.problems = new Problems(json);
    }

    @RequestMapping("/fallback/{service}")
    ResponseEntity<byte[]> unavailable(@PathVariable String service, ServerWebExchange exchange) {
        Throwable cause = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        LinkedHashSet<URI> original = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR);
        String path = original == null || original.isEmpty() ? null : original.iterator().next().getPath();
        log.warn("{} unavailable for {}: {}", service, path, cause == null ? "circuit open" : cause.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.parseMediaType(Problems.MEDIA_TYPE))
                .header("Retry-After", "5")
                .body(problems.json(Problems.unavailable("the " + service + " service is unavailable (not reachable, too slow, or "
                        + "its circuit is open after repeated failures); retry later", path)));
    }
}
