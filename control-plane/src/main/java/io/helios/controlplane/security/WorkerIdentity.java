package io.helios.controlplane.security;

import io.helios.service.security.CallerAuthentication;
import io.helios.service.web.ApiException;
import io.helios.security.Role;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Which worker the current request's credential belongs to: the lease protocol acts for that worker
 * only. A worker's id comes from its verified token ({@code helios.security.jwt.worker-id-claim},
 * default {@code sub} = {@code worker:<id>}), never from the request path: a heartbeat for another id
 * is refused with 403 (and, like every refused write, recorded in the audit trail). Reads the
 * thread-bound security context: call it on the request thread.
 */
public final class WorkerIdentity {

    private WorkerIdentity() {
    }

    /**
     * The credential's worker id, which must be {@code claimed} (the id in the path).
     *
     * @throws ApiException 403 {@code worker-identity} when the caller is not a worker, its token names no
     *                      worker, or names another one
     */
    public static String require(String claimed) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (!(auth instanceof CallerAuthentication ca) || !ca.caller().roles().contains(Role.WORKER)) {
            throw refused("only a worker's own credential (role worker) may act in the lease protocol");
        }
        String own = ca.workerId().orElseThrow(() -> refused("the token of '" + ca.caller().subject()
                + "' has the worker role but names no worker: a worker's token must name it in the configured"
                + " worker id claim (by default sub = worker:<id>)"));
        if (!own.equals(claimed)) {
            throw refused("this credential belongs to worker '" + own + "', not to worker '" + claimed + "'");
        }
        return own;
    }

    private static ApiException refused(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "worker-identity", "Not this worker's credential", detail);
    }
}
