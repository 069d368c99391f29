package io.helios.failover.controlplane;

import io.helios.service.web.ProblemHandler;
import io.helios.service.web.ServiceProblems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * The failover service's one problem beyond the shared {@link ProblemHandler}'s: the control plane refused
 * a call the operation needed (502), or did not answer (503).
 */
@Component
class ControlPlaneProblems implements ServiceProblems {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneProblems.class);

    @Override
    public ProblemDetail problemFor(Exception e) {
        if (!(e instanceof ControlPlaneException cp)) {
            return null;
        }
        log.debug("control plane call failed: {}", cp.getMessage());
        HttpStatus status = cp.status() == 503 ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
        return ProblemHandler.problem(status, "control-plane", "Control plane call failed", cp.getMessage());
    }
}
