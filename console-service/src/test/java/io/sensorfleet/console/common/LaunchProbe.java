package io.sensorfleet.console.common;

/** A program for {@link ConsoleLaunchTest} to start through the console's launcher: it only says so. */
public final class LaunchProbe {
    private LaunchProbe() {
    }

    public static void main(String[] args) {
        System.out.println("probe ran with " + System.getProperty("probe.option"));
    }
}
