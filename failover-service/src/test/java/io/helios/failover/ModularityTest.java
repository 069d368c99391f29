package io.helios.failover;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The failover service's feature packages ({@code health}, {@code topology}, {@code decision},
 * {@code failover}, {@code policy}, {@code window}, ...) stay modules: no cycle between them, and the
 * application package depends on none (repositories are package-private, so only their feature uses them).
 * Fast: reads the compiled main classes, starts nothing.
 */
class ModularityTest {

    private static final String ROOT = "io.helios.failover";

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
}
