package io.sensorfleet.agent;

import java.time.Duration;

/** Waiting, made injectable so tests record waits instead of spending them. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
        return Thread::sleep;
    }
}
