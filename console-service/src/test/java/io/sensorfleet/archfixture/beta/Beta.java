package io.sensorfleet.archfixture.beta;

import io.sensorfleet.archfixture.alpha.Alpha;

/** The other half of the deliberate cycle. */
public class Beta {
    public Alpha partner() {
        return new Alpha();
    }
}
