package io.helios.controlplane.endpoint;

/**
 * Tells the endpoint feature whether a tenant named as an endpoint's owner exists. Implemented by
 * the tenant feature, so that the dependency points from tenants to endpoints only. Stateless.
 */
public interface EndpointOwners {

    boolean tenantExists(String tenantId);
}
