package io.helios.failover.controlplane;

import io.helios.service.web.ProblemHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The failover service's one problem beyond the shared {@link ProblemHandler}'s: the control plane refused
 * a call the operation needed (502), or did not answer (503). Ordered before the shared handler, whose
 * catch-all would otherwise answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ControlPlaneProblems {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneProblems.class);

    @ExceptionHandler(ControlPlaneException.class)
    ProblemDetail controlPlane(ControlPlaneException e) {
        log.debug("control plane call failed: {}", e.getMessage());
        HttpStatus status = e.status() == 503 ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
        return ProblemHandler.problem(status, "control-plane", "Control plane call failed", e.getMessage());
    }
}
