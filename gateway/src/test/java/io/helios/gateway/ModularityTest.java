package io.helios.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The gateway's feature packages ({@code ratelimit}, {@code security}) stay modules: no cycle
 * between them, and the application package (wiring and settings) depends on none of them. The
 * gateway owns no tables and reaches none: it keeps no state in a database, so no class uses
 * JDBC or Spring Data, except Spring Data Redis, which holds the rate limit buckets shared by the
 * replicas (counters that expire, not records).
 *
 * <p>Fast: reads the compiled main classes, starts nothing.
 */
class ModularityTest {

    private static final String ROOT = "io.helios.gateway";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

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
    void noFeatureReachesADatabase() {
        noClasses().should().dependOnClassesThat(
                        resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..", "org.springframework.data..")
                                .and(not(resideInAPackage("org.springframework.data.redis.."))))
                .check(CLASSES);
    }
}
