package io.sensorfleet.console.settings;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.lib.settings.Violation;

import java.util.List;
import java.util.stream.Collectors;

/** A settings change the console refuses; nothing of it is saved. */
public class SettingsProblem extends ProblemException {
    private SettingsProblem(ProblemType type, String detail) {
        super(type, detail);
    }

    static SettingsProblem invalid(List<Violation> violations) {
        return new SettingsProblem(ProblemType.INVALID_SETTING,
                violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    }

    static SettingsProblem confirmationRequired(List<String> keys) {
        return new SettingsProblem(ProblemType.CONFIRMATION_REQUIRED,
                "changing " + String.join(", ", keys) + " can damage the sensor's operation if the value is wrong "
                        + "(seed: consult support first); repeat the request with \"confirm\": true to apply it");
    }
}
