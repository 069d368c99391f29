package io.helios.core.lease;

/**
 * How a worker reaches a database endpoint. The password travels sealed (see
 * {@link io.helios.core.secret.SecretBox}, context {@code endpoint:<id>}); workers hold the
 * same keyring as the control plane and open it only to connect.
 */
public record EndpointSpec(String id, String name, String region, String jdbcUrl, String username,
                           String sealedPassword) {

    @Override
    public String toString() {
        return "EndpointSpec[id=" + id + ", name=" + name + ", region=" + region + ", jdbcUrl=" + jdbcUrl
                + ", username=" + username + "]";
    }
}
