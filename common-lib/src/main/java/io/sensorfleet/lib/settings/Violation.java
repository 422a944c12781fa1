package io.sensorfleet.lib.settings;

/**
 * A value that breaks a rule.
 *
 * @param key  the setting
 * @param rule what is wrong, for a person
 */
public record Violation(String key, String rule) {
    @Override
    public String toString() {
        return key + ": " + rule;
    }
}
