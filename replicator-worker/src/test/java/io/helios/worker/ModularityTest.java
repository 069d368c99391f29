package io.helios.worker;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The worker's feature packages ({@code config}, {@code lease}, {@code replication}, ...) stay
 * apart: no cycles between them, each reached by the others only through the public types of
 * its root package (anything in a feature's subpackages is its own business), configuration
 * depends on no feature, and only the engine choice knows the capture engines' classes.
 */
@AnalyzeClasses(packages = "io.helios.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ModularityTest {

    private static final String ROOT = "io.helios.worker";

    @ArchTest
    static final ArchRule featuresDoNotDependOnEachOtherInCycles =
            slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule featuresMeetOnlyAtThePublicTypesOfEachOthersRootPackage =
            classes().that().resideInAPackage(ROOT + "..").should(useOtherFeaturesOnlyThroughTheirApi());

    @ArchTest
    static final ArchRule configurationDependsOnNoFeature = noClasses().that().resideInAPackage(ROOT + ".config..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".lease..", ROOT + ".replication..");

    @ArchTest
    static final ArchRule onlyTheEngineChoiceKnowsTheCaptureEngines = noClasses()
            .that().resideInAPackage(ROOT + "..").and().doNotHaveFullyQualifiedName(ROOT + ".replication.CaptureEngines")
            .should().dependOnClassesThat().resideInAPackage("io.helios.debezium..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.helios.pgoutput.PgOutputCaptureEngine");

    private static ArchCondition<JavaClass> useOtherFeaturesOnlyThroughTheirApi() {
        return new ArchCondition<>("use other features only through the public types of their root package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String from = feature(origin);
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    String to = feature(target);
                    if (to != null && !to.equals(from) && !isApi(target, to)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    private static boolean isApi(JavaClass target, String feature) {
        return target.getPackageName().equals(ROOT + "." + feature) && target.getModifiers().contains(JavaModifier.PUBLIC);
    }

    /** The feature a class belongs to: its first package below the root, or null (the root itself, or outside). */
    private static String feature(JavaClass c) {
        String pkg = c.getPackageName();
        if (!pkg.startsWith(ROOT + ".")) {
            return null;
        }
        String rest = pkg.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
