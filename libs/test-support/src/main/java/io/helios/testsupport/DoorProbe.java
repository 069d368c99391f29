package io.helios.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Throws every {@link PathVariants variant} of every route at a door (the gateway or a service)
 * for each caller, and lists what the door let through that it should not have: a variant is
 * acceptable only when refused (400, 401, 403) or when the canonical path is allowed for that
 * caller; a caller without a token must never get past 401/400; nothing may answer 5xx.
 * Stateless; the door decides how requests are sent.
 */
public final class DoorProbe {

    private static final Set<Integer> REFUSED = Set.of(400, 401, 403);
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}/]+}");

    /** Sends one request and answers its status; {@code token} is empty for none. */
    @FunctionalInterface
    public interface Door {
        int send(String method, String path, String token);
    }

    /** A concrete route: a method and a path without variables. */
    public record Route(String method, String path) {

        /** The route of a template such as {@code /api/v1/replications/{id}/start}, variables filled with one random UUID. */
        public static Route of(String method, String template) {
            return new Route(method.toUpperCase(java.util.Locale.ROOT),
                    VARIABLE.matcher(template).replaceAll(UUID.randomUUID().toString()));
        }
    }

    private DoorProbe() {
    }

    /**
     * @param callers caller name to bearer token ({@code ""} for a request without one)
     * @return one line per violation, empty when the door held
     */
    public static List<String> violations(Door door, List<Route> routes, Map<String, String> callers) {
        // a few routes at a time: thousands of requests, mostly refusals, each cheap but a round trip
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> perRoute = new ArrayList<>();
            for (Route route : routes) {
                perRoute.add(pool.submit(() -> violations(door, route, callers)));
            }
            List<String> out = new ArrayList<>();
            for (Future<List<String>> f : perRoute) {
                out.addAll(f.get(10, TimeUnit.MINUTES));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("probing failed: " + e.getCause(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A request that gets no answer (a timeout, a reset) is reported like a 5xx, with the request that caused it. */
    private static int send(Door door, String method, String path, String token) {
        try {
            return door.send(method, path, token);
        } catch (RuntimeException e) {
            System.err.println("no answer to " + method + " " + path + ": " + e);
            return 599;
        }
    }

    private static List<String> violations(Door door, Route route, Map<String, String> callers) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> caller : callers.entrySet()) {
            boolean anonymous = caller.getValue().isEmpty();
            int canonical = send(door, route.method(), route.path(), caller.getValue());
            if (canonical >= 500 || (anonymous && canonical != 401)) {
                out.add(route.method() + " " + route.path() + " as " + caller.getKey() + ": " + canonical);
            }
            boolean canonicalRefused = canonical == 401 || canonical == 403;
            for (Map.Entry<String, String> variant : PathVariants.of(route.path()).entrySet()) {
                int status = send(door, route.method(), variant.getValue(), caller.getValue());
                boolean bad = status >= 500 || ((canonicalRefused || anonymous) && !REFUSED.contains(status))
                        || (anonymous && status == 403);
                if (bad) {
                    out.add(route.method() + " " + variant.getValue() + " (" + variant.getKey() + ") as "
                            + caller.getKey() + ": " + status + " (canonical " + route.path() + ": " + canonical + ")");
                }
            }
        }
        return out;
    }
}
