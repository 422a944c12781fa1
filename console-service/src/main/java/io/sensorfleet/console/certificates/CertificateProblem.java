package io.sensorfleet.console.certificates;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;

/** A certificate request or certificate from outside that the console refuses. */
public class CertificateProblem extends ProblemException {
    public CertificateProblem(String detail) {
        super(ProblemType.INVALID_CSR, detail);
    }
}
