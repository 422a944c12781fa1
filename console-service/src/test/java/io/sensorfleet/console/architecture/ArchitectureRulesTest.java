package io.sensorfleet.console.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules themselves, on fixtures under {@code io.sensorfleet.archfixture}: {@code alpha} and
 * {@code beta} import each other, {@code gamma} uses Bouncy Castle and imports {@code alpha}, {@code delta}
 * imports nothing.
 */
class ArchitectureRulesTest {
    private static final String FIXTURES = "io.sensorfleet.archfixture";
    private final JavaClasses fixtures = new ClassFileImporter().importPackages(FIXTURES);

    @Test
    void cycleRuleFailsOnTwoPackagesThatImportEachOther() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureRules.noCyclesBetweenPackages(FIXTURES).check(fixtures));
        assertTrue(e.getMessage().contains("Cycle detected: alpha")
                && e.getMessage().contains("Dependencies of beta"), e.getMessage());
        assertTrue(!e.getMessage().contains("gamma"), "gamma is in no cycle: " + e.getMessage());
    }

    @Test
    void cycleRulePassesWhenTheCycleIsLeftOut() {
        JavaClasses withoutBeta = new ClassFileImporter().importPackages(FIXTURES + ".alpha", FIXTURES + ".gamma");
        assertDoesNotThrow(() -> ArchitectureRules.noCyclesBetweenPackages(FIXTURES).check(withoutBeta));
    }

    @Test
    void bouncyCastleRuleFailsOutsideTheAllowedPackage() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureRules.bouncyCastleOnlyIn(FIXTURES + ".alpha").check(fixtures));
        assertTrue(e.getMessage().contains("gamma.UsesBouncyCastle"), e.getMessage());
        assertDoesNotThrow(() -> ArchitectureRules.bouncyCastleOnlyIn(FIXTURES + ".gamma").check(fixtures));
    }

    @Test
    void platformRuleFailsWhenThePlatformImportsAFeature() {
        assertThrows(AssertionError.class,
                () -> ArchitectureRules.platformDependsOnNoFeature(FIXTURES, FIXTURES + ".gamma").check(fixtures));
        assertDoesNotThrow(() -> ArchitectureRules.platformDependsOnNoFeature(FIXTURES, FIXTURES + ".delta").check(fixtures));
    }
}
