package io.helios.failover.controlplane;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The failover service's control-plane problems, which the shared problem handler asks for before a 500. */
class ControlPlaneProblemsTest {

    private final ControlPlaneProblems problems = new ControlPlaneProblems();

    @Test
    void aRefusalOfTheControlPlaneIsABadGatewayProblem() {
        ProblemDetail p = problems.problemFor(new ControlPlaneException(409, "stale-routing-epoch", "moved meanwhile"));

        assertThat(p.getStatus()).isEqualTo(502);
        assertThat(p.getType()).isEqualTo(URI.create("https://helios.io/problems/control-plane"));
        assertThat(p.getTitle()).isEqualTo("Control plane call failed");
        assertThat(p.getDetail()).isEqualTo("moved meanwhile");
    }

    @Test
    void aControlPlaneThatDidNotAnswerIsServiceUnavailable() {
        ProblemDetail p = problems.problemFor(new ControlPlaneException(503, null, "no answer"));

        assertThat(p.getStatus()).isEqualTo(503);
        assertThat(p.getType()).isEqualTo(URI.create("https://helios.io/problems/control-plane"));
    }

    @Test
    void anyOtherFailureIsLeftToTheSharedHandler() {
        assertThat(problems.problemFor(new IllegalStateException("boom"))).isNull();
    }
}
