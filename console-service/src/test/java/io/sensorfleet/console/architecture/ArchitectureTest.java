package io.sensorfleet.console.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's package structure, checked on its compiled classes (tests excluded). */
class ArchitectureTest {
    private static final String ROOT = "io.sensorfleet.console";
    private static JavaClasses console;

    @BeforeAll
    static void importConsole() {
        console = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void consolePackagesFormNoCycle() {
        ArchitectureRules.noCyclesBetweenPackages(ROOT).check(console);
    }

    @Test
    void onlyCertificatesUsesBouncyCastle() {
        ArchitectureRules.bouncyCastleOnlyIn(ROOT + ".certificates").check(console);
    }

    @Test
    void platformDependsOnNoFeature() {
        ArchitectureRules.platformDependsOnNoFeature(ROOT, ROOT + ".platform").check(console);
    }
}
