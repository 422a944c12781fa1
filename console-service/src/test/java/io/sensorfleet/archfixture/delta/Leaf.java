package io.sensorfleet.archfixture.delta;

/** Depends on no other fixture package, like the console's platform. */
public final class Leaf {
    private Leaf() {
    }
}
