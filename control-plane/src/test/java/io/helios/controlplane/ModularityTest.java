package io.helios.controlplane;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;

import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane's feature packages ({@code endpoint}, {@code tenant}, {@code qos},
 * {@code replication}, {@code lease}, {@code routing}, ...) stay modules: no cycle between them,
 * and each feature's tables are reached only through that feature, both through its Spring
 * Data repositories and in SQL. A feature that needs another's data calls the owning feature's
 * service, or, where the dependency must point the other way, implements an interface the
 * owning feature declares ({@code LeaseRevoker}, {@code EndpointUsers}, ...).
 *
 * <p>Fast: reads the compiled main classes and the migrations, starts nothing.
 */
class ModularityTest {

    private static final String ROOT = "io.helios.controlplane";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** The feature that owns each table of the control plane's database. */
    private static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("endpoint", "endpoint"),
            Map.entry("tenant", "tenant"),
            Map.entry("qos_policy", "qos"),
            Map.entry("replication", "replication"),
            Map.entry("replication_status", "replication"),
            Map.entry("lease", "lease"),
            Map.entry("worker", "lease"),
            Map.entry("audit_event", "audit"),
            Map.entry("audit_chain_head", "audit"),
            Map.entry("audit_checkpoint", "audit"),
            Map.entry("replication_wal", "walguard"),
            Map.entry("orphan_sighting", "sweeper"),
            Map.entry("tenant_endpoint", "tenant"),
            Map.entry("tenant_schema", "tenant"));

    /**
     * Reads of another feature's tables that are deliberate. The lease feature's assignment query
     * picks the unleased active replications, highest QoS priority first, in one indexed
     * statement under the assignment lock; composed from the replication and QoS services it
     * would load every active replication on each heartbeat. Writes are never allowed.
     */
    private static final Map<String, Set<String>> READS_ALLOWED = Map.of(
            "lease", Set.of("replication", "qos_policy"));

    @Test
    void featuresDependOnEachOtherWithoutCycles() {
        slices().matching(ROOT + ".(*)..").namingSlices("$1").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theApplicationPackageDependsOnNoFeature() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".*..")
                .check(CLASSES);
    }

    @Test
    void repositoriesAreUsedOnlyInsideTheirFeature() {
        classes().that().areAssignableTo(Repository.class)
                .or().areAnnotatedWith(org.springframework.stereotype.Repository.class)
                .should(beUsedOnlyInsideTheirFeature())
                .check(CLASSES);
    }

    @Test
    void everyTableHasAnOwningFeature() {
        assertThat(OWNER.keySet()).containsExactlyInAnyOrderElementsOf(SqlTables.created());
    }

    @Test
    void featuresNameOnlyTheirOwnTablesInSql() {
        classes().that().resideInAPackage(ROOT + ".*..").should(nameOnlyTheirOwnTables()).check(CLASSES);
    }

    private static ArchCondition<JavaClass> beUsedOnlyInsideTheirFeature() {
        return new ArchCondition<>("be used only inside their own feature") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                String feature = featureOf(repository);
                for (Dependency d : repository.getDirectDependenciesToSelf()) {
                    if (!feature.equals(featureOf(d.getOriginClass()))) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> nameOnlyTheirOwnTables() {
        return new ArchCondition<>("name only their own feature's tables in SQL") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String feature = featureOf(c);
                Set<String> readable = READS_ALLOWED.getOrDefault(feature, Set.of());
                for (SqlTables.Use use : SqlTables.usedBy(c.getSource().orElseThrow().getUri(), OWNER.keySet())) {
                    String owner = OWNER.get(use.table());
                    boolean read = use.access() == SqlTables.Access.READ;
                    if (!owner.equals(feature) && !(read && readable.contains(use.table()))) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + (read ? " reads" : " writes")
                                + " table " + use.table() + " of feature " + owner + ": " + use.statement()));
                    }
                }
            }
        };
    }

    /** The feature a class belongs to: the first package below the root, "" for the root itself. */
    private static String featureOf(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.equals(ROOT)) {
            return "";
        }
        String below = pkg.substring(ROOT.length() + 1);
        int dot = below.indexOf('.');
        return dot < 0 ? below : below.substring(0, dot);
    }
}
