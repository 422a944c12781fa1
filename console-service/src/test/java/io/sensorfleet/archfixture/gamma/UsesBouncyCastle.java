package io.sensorfleet.archfixture.gamma;

import io.sensorfleet.archfixture.alpha.Alpha;
import org.bouncycastle.asn1.x500.X500Name;

/** Bouncy Castle outside the certificate package, and a one-way dependency on alpha (no cycle). */
public class UsesBouncyCastle {
    public X500Name name() {
        return new X500Name("CN=fixture");
    }

    public Alpha alpha() {
        return new Alpha();
    }
}
