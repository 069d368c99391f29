package io.helios.failover.window;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

interface MaintenanceWindowRepository extends ListCrudRepository<MaintenanceWindow, UUID> {

    @Query("SELECT * FROM maintenance_window WHERE ends_at > :after ORDER BY starts_at, id")
    List<MaintenanceWindow> findEndingAfter(Instant after);

    @Query("SELECT * FROM maintenance_window ORDER BY starts_at, id")
    List<MaintenanceWindow> findAllOrdered();
}
