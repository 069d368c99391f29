package io.helios.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimsReaderTest {

    private static final ClaimsReader DEFAULT = ClaimsReader.DEFAULT;

    @Test
    void readsRolesOnlyFromTheConfiguredClaim() {
        Map<String, Object> claims = Map.of("roles", List.of("viewer", "unknown"),
                "realm_access", Map.of("roles", List.of("Operator", "admin", "offline_access")));
        Caller c = DEFAULT.read("alice", claims);
        assertThat(c.subject()).isEqualTo("alice");
        // realm roles are generic names any application of the issuer may hand out: they grant nothing by default
        assertThat(c.roles()).containsExactly(Role.VIEWER);
        assertThat(new ClaimsReader("realm_access.roles").read("alice", claims).roles())
                .containsExactlyInAnyOrder(Role.OPERATOR, Role.ADMIN);
    }

    @Test
    void readsKeycloakClientRolesFromADottedPath() {
        Map<String, Object> claims = Map.of("roles", List.of("admin"), "resource_access", Map.of(
                "helios", Map.of("roles", List.of("operator")),
                "other-app", Map.of("roles", List.of("admin"))));
        Caller c = new ClaimsReader("resource_access.helios.roles").read("carol", claims);
        assertThat(c.roles()).containsExactly(Role.OPERATOR);
        assertThat(new ClaimsReader("resource_access.missing.roles").read("carol", claims).roles()).isEmpty();
        assertThat(new ClaimsReader("resource_access").read("carol", claims).roles()).isEmpty();
    }

    @Test
    void refusesABlankOrMalformedClaimPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClaimsReader(" "))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClaimsReader("resource_access..roles"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsSpaceOrCommaSeparatedStrings() {
        Caller c = DEFAULT.read("bob", Map.of("roles", "admin worker", "tenants", "acme, globex"));
        assertThat(c.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.WORKER);
        assertThat(c.tenants()).isEqualTo(TenantAccess.only(Set.of("acme", "globex")));
    }

    @Test
    void absentTenantsClaimMeansEveryTenantAndAnEmptyOneMeansNone() {
        assertThat(DEFAULT.read("a", Map.of("roles", List.of("viewer"))).tenants().all()).isTrue();
        TenantAccess none = DEFAULT.read("a", Map.of("tenants", List.of())).tenants();
        assertThat(none.restricted()).isTrue();
        assertThat(none.allows("acme")).isFalse();
    }

    @Test
    void aTokenWithoutRolesHasNone() {
        Caller c = DEFAULT.read(null, Map.of());
        assertThat(c.roles()).isEmpty();
        assertThat(c.has(Role.VIEWER)).isFalse();
    }
}
