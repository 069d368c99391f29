package io.helios.service.web;

import org.springframework.http.ProblemDetail;

/**
 * A service's own failures that the shared {@link ProblemHandler} cannot know (the failover service: a
 * refused or unanswered call to the control plane). Declared as beans; the handler asks each, in order,
 * about any exception none of its own handlers matched, before it answers 500. Build the answer with
 * {@link ProblemHandler#problem}, so that every problem keeps the one type base.
 */
@FunctionalInterface
public interface ServiceProblems {

    /** The problem detail for {@code e}, or null when {@code e} is not one of this service's failures. */
    ProblemDetail problemFor(Exception e);
}
