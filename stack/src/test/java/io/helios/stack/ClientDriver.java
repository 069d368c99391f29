package io.helios.stack;

import io.helios.client.ApiClient;
import io.helios.client.ApiException;
import io.helios.client.api.EndpointsApi;
import io.helios.client.api.ReplicationsApi;
import io.helios.client.api.TenantsApi;
import io.helios.client.model.EndpointRequest;
import io.helios.client.model.ReplicationRequest;
import io.helios.client.model.TenantRequest;

import java.util.Map;
import java.util.UUID;

/**
 * What the end-to-end tests ask of the suite, through the Java client generated from the
 * committed OpenAPI document and through the gateway: the published contract is the one the
 * tests drive. Failures surface as {@link IllegalStateException}s carrying the problem detail.
 */
final class ClientDriver {

    private final ApiClient client = new ApiClient();
    private final EndpointsApi endpoints;
    private final TenantsApi tenants;
    private final ReplicationsApi replications;

    ClientDriver(String gatewayUrl, String bearerToken) {
        client.updateBaseUri(gatewayUrl);
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + bearerToken));
        client.setReadTimeout(java.time.Duration.ofSeconds(30));
        endpoints = new EndpointsApi(client);
        tenants = new TenantsApi(client);
        replications = new ReplicationsApi(client);
    }

    String createEndpoint(String name, String region, String jdbcUrl, String user, String password) {
        return call(() -> endpoints.createEndpoint(new EndpointRequest().name(name).region(region).jdbcUrl(jdbcUrl)
                .username(user).password(password)).getId().toString());
    }

    String createTenant(String id, String name) {
        return call(() -> tenants.createTenant(new TenantRequest().id(id).name(name)).getId());
    }

    /** The request as the OpenAPI document spells it, field by field. */
    String createReplication(Map<String, Object> body) {
        ReplicationRequest request = client.getObjectMapper().convertValue(body, ReplicationRequest.class);
        return call(() -> replications.createReplication(request).getId().toString());
    }

    void action(String replicationId, String action) {
        UUID id = UUID.fromString(replicationId);
        call(() -> switch (action) {
            case "start" -> replications.startReplication(id);
            case "pause" -> replications.pauseReplication(id);
            case "resume" -> replications.resumeReplication(id);
            case "stop" -> replications.stopReplication(id);
            default -> throw new IllegalArgumentException("no action " + action);
        });
    }

    void deleteReplication(String replicationId) {
        call(() -> {
            replications.deleteReplication(UUID.fromString(replicationId), null);
            return null;
        });
    }

    /** The status view as a map, so tests read it by the document's field names. */
    @SuppressWarnings("unchecked")
    Map<String, Object> status(String replicationId) {
        return call(() -> client.getObjectMapper().convertValue(
                replications.statusReplication(UUID.fromString(replicationId)), Map.class));
    }

    private interface Call<T> {
        T run() throws ApiException;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (ApiException e) {
            throw new IllegalStateException("HTTP " + e.getCode() + ": " + e.getResponseBody(), e);
        }
    }
}
