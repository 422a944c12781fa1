package io.sensorfleet.console.architecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The console's package rules, written for any root package so they can be shown failing on
 * small fixtures as well as passing on the console.
 */
final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /** Each package directly under {@code root} (with its subpackages) is a slice; no slices may form a cycle. */
    static SliceRule noCyclesBetweenPackages(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("a cycle ties every package in it together: none can be understood or changed alone");
    }

    /** Bouncy Castle is an implementation detail of the certificate package. */
    static ArchRule bouncyCastleOnlyIn(String allowed) {
        return noClasses().that().resideOutsideOfPackage(allowed + "..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .because("certificate handling lives in one package; others use its API and JDK types");
    }

    /** The platform package is what features share; it must not know any of them. */
    static ArchRule platformDependsOnNoFeature(String root, String platform) {
        return noClasses().that().resideInAPackage(platform + "..")
                .should().dependOnClassesThat(resideInAPackage(root + "..").and(not(resideInAPackage(platform + ".."))))
                .because("features depend on the platform, never the other way round");
    }
}
