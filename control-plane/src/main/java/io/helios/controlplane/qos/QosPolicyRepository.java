package io.helios.controlplane.qos;

import org.springframework.data.domain.Limit;
import org.springframework.data.repository.ListCrudRepository;

import java.util.List;
import java.util.UUID;

/** QoS policies by id; names are unique. */
interface QosPolicyRepository extends ListCrudRepository<QosPolicy, UUID> {

    boolean existsByName(String name);

    /** First rows in id order (list paging). */
    List<QosPolicy> findAllByOrderByIdAsc(Limit limit);

    /** Rows after {@code after} in id order (list paging). */
    List<QosPolicy> findByIdGreaterThanOrderByIdAsc(UUID after, Limit limit);
}
