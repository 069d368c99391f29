package io.helios.gateway.ratelimit;

import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.security.Principal;

/**
 * The client a rate limit counts: the token's subject when the request is authenticated (the
 * security filters ran before routing), else the remote address. Never empty, so the
 * {@code RequestRateLimiter} never refuses for want of a key.
 */
final class ClientKeyResolver implements KeyResolver {

    @Override
    public Mono<String> resolve(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(Principal::getName).map(name -> "sub:" + name)
                .defaultIfEmpty("ip:" + remote(exchange));
    }

    private static String remote(ServerWebExchange exchange) {
        InetSocketAddress address = exchange.getRequest().getRemoteAddress();
        return address == null || address.getAddress() == null ? "unknown" : address.getAddress().getHostAddress();
    }
}
