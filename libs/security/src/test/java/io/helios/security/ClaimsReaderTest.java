package io.helios.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimsReaderTest {

    @Test
    void readsRolesFromTheRolesClaimAndFromKeycloakRealmAccess() {
        Caller c = ClaimsReader.read("alice", Map.of("roles", List.of("viewer", "unknown"),
                "realm_access", Map.of("roles", List.of("Operator", "offline_access"))));
        assertThat(c.subject()).isEqualTo("alice");
        assertThat(c.roles()).containsExactlyInAnyOrder(Role.VIEWER, Role.OPERATOR);
    }

    @Test
    void acceptsSpaceOrCommaSeparatedStrings() {
        Caller c = ClaimsReader.read("bob", Map.of("roles", "admin worker", "tenants", "acme, globex"));
        assertThat(c.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.WORKER);
        assertThat(c.tenants()).isEqualTo(TenantAccess.only(Set.of("acme", "globex")));
    }

    @Test
    void absentTenantsClaimMeansEveryTenantAndAnEmptyOneMeansNone() {
        assertThat(ClaimsReader.read("a", Map.of("roles", List.of("viewer"))).tenants().all()).isTrue();
        TenantAccess none = ClaimsReader.read("a", Map.of("tenants", List.of())).tenants();
        assertThat(none.restricted()).isTrue();
        assertThat(none.allows("acme")).isFalse();
    }

    @Test
    void aTokenWithoutRolesHasNone() {
        Caller c = ClaimsReader.read(null, Map.of());
        assertThat(c.roles()).isEmpty();
        assertThat(c.has(Role.VIEWER)).isFalse();
    }
}
