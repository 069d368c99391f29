package io.helios.migration;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The migration service's feature packages ({@code migration}, {@code cutover}, {@code controlplane},
 * {@code endpoint}) stay modules: no cycle between them, the application package depends on none, the
 * cutover protocol knows nothing of the service around it (nor of the shared web plumbing, io.helios.service),
 * and the repository is used inside its feature only. Fast: reads the compiled classes.
 */
class ModularityTest {

    private static final String ROOT = "io.helios.migration";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void featuresDependOnEachOtherWithoutCycles() {
        slices().matching(ROOT + ".(*)..").namingSlices("$1").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theApplicationPackageDependsOnNoFeature() {
        noClasses().that().resideInAPackage(ROOT).should().dependOnClassesThat().resideInAPackage(ROOT + ".*..")
                .check(CLASSES);
    }

    @Test
    void theCutoverProtocolDependsOnNothingOfTheService() {
        noClasses().that().resideInAPackage(ROOT + ".cutover..").should().dependOnClassesThat()
                .resideInAnyPackage(ROOT, ROOT + ".migration..", ROOT + ".controlplane..", ROOT + ".endpoint..",
                        "io.helios.service..")
                .check(CLASSES);
    }

    @Test
    void repositoriesAreUsedOnlyInsideTheirFeature() {
        classes().that().areAnnotatedWith(org.springframework.stereotype.Repository.class)
                .should(beUsedOnlyInsideTheirFeature()).check(CLASSES);
    }

    private static ArchCondition<JavaClass> beUsedOnlyInsideTheirFeature() {
        return new ArchCondition<>("be used only inside their own feature") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                for (Dependency d : repository.getDirectDependenciesToSelf()) {
                    if (!repository.getPackageName().equals(d.getOriginClass().getPackageName())) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }
}
