package io.sensorfleet.agent.identity;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When to renew the sensor certificate: at two thirds of its lifetime, which leaves a third of it
 * (10 days of the default 30) to ride out a console outage before the sensor is locked out.
 */
public final class RenewalPolicy {

    public Instant renewAt(Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        return notBefore.plus(lifetime.multipliedBy(2).dividedBy(3));
    }

    public Instant renewAt(X509Certificate certificate) {
        return renewAt(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    public boolean isDue(X509Certificate certificate, Instant now) {
        return !now.isBefore(renewAt(certificate));
    }
}
