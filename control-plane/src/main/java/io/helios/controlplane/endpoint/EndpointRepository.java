package io.helios.controlplane.endpoint;

import org.springframework.data.domain.Limit;
import org.springframework.data.repository.ListCrudRepository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Endpoints by id; names are unique (enforced by the schema). */
interface EndpointRepository extends ListCrudRepository<Endpoint, UUID> {

    boolean existsByName(String name);

    long countByOwnerTenantId(String tenantId);

    List<Endpoint> findByOwnerTenantIdIn(Collection<String> tenantIds);

    /** First rows in id order (list paging). */
    List<Endpoint> findAllByOrderByIdAsc(Limit limit);

    /** Rows after {@code after} in id order (list paging). */
    List<Endpoint> findByIdGreaterThanOrderByIdAsc(UUID after, Limit limit);
}
