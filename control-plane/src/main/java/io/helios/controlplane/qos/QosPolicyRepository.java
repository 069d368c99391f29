package io.helios.controlplane.qos;

import org.springframework.data.repository.ListCrudRepository;

import java.util.UUID;

/** QoS policies by id; names are unique. */
interface QosPolicyRepository extends ListCrudRepository<QosPolicy, UUID> {

    boolean existsByName(String name);
}
