package io.sensorfleet.console.updates;

import io.sensorfleet.lib.packages.PackageException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UpdateProblemTest {
    @Test
    void packageCheckFailuresKeepTheTypeTheAgentAndToolsKnow() {
        for (PackageException.Kind kind : PackageException.Kind.values()) {
            assertEquals(kind.type(), UpdateProblem.type(kind).slug(), kind.name());
        }
    }
}
