package io.sensorfleet.archfixture.alpha;

import io.sensorfleet.archfixture.beta.Beta;

/** Half of a deliberate package cycle, for the architecture rules' own test. */
public class Alpha {
    public Beta partner() {
        return new Beta();
    }
}
