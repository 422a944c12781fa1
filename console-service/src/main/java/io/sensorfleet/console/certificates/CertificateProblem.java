package io.sensorfleet.console.certificates;

import io.sensorfleet.console.common.ProblemException;

/** A certificate request or certificate from outside that the console refuses. */
public class CertificateProblem extends ProblemException {
    public CertificateProblem(String detail) {
        super(400, "invalid-csr", "Invalid certificate request", detail);
    }
}
