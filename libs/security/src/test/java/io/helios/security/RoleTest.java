package io.helios.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RoleTest {

    @ParameterizedTest(name = "{0} satisfies {1}: {2}")
    @CsvSource({
            "ADMIN, ADMIN, true", "ADMIN, OPERATOR, true", "ADMIN, VIEWER, true", "ADMIN, WORKER, false",
            "OPERATOR, ADMIN, false", "OPERATOR, OPERATOR, true", "OPERATOR, VIEWER, true", "OPERATOR, WORKER, false",
            "VIEWER, ADMIN, false", "VIEWER, OPERATOR, false", "VIEWER, VIEWER, true", "VIEWER, WORKER, false",
            "WORKER, ADMIN, false", "WORKER, OPERATOR, false", "WORKER, VIEWER, false", "WORKER, WORKER, true",
            "SERVICE, ADMIN, false", "SERVICE, VIEWER, false", "SERVICE, WORKER, false", "SERVICE, SERVICE, true",
            "ADMIN, SERVICE, false", "WORKER, SERVICE, false"})
    void hierarchyAdminOperatorViewerWithWorkerApart(Role held, Role required, boolean expected) {
        assertThat(held.satisfies(required)).isEqualTo(expected);
    }
}
