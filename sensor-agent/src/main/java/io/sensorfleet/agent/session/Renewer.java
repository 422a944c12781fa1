package io.sensorfleet.agent.session;

import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.identity.Credentials;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.IssuedCertificates;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.enrollment.RenewRequest;

import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;

/** Replaces the sensor's key and certificate over mutual TLS before the certificate runs out. */
public final class Renewer {

    /** The identity and credentials in force after a renewal. */
    public record Renewal(Identity identity, Credentials credentials) {
    }

    private final StateDir stateDir;
    private final CsrFactory csrFactory;
    private final RenewalPolicy policy;
    private final Clock clock;

    public Renewer(StateDir stateDir, CsrFactory csrFactory, RenewalPolicy policy, Clock clock) {
        this.stateDir = stateDir;
        this.csrFactory = csrFactory;
        this.policy = policy;
        this.clock = clock;
    }

    public boolean isDue(Credentials credentials) {
        return policy.isDue(credentials.certificate(), clock.instant());
    }

    /**
     * Sends a CSR for a new key through {@code client} (which authenticates with the current
     * certificate) and stores the new key and certificate atomically.
     *
     * @throws AgentException when the console's answer cannot be used; the current identity stays
     */
    public Renewal renew(ConsoleClient client, AgentAddress address, Identity identity, Credentials current)
            throws ConsoleCallException {
        KeyPair keyPair = csrFactory.newKeyPair();
        EnrollResponse response = client.renew(address, new RenewRequest(csrFactory.csrPem(keyPair)));
        X509Certificate ca;
        try {
            ca = Pem.readCertificate(response.caCertificatePem());
        } catch (CertificateException e) {
            throw new AgentException("console at " + address + " returned an unreadable CA certificate: "
                    + e.getMessage(), e);
        }
        if (!ca.equals(current.caCertificate())) {
            // Trusting a new CA here could lock the sensor out if the console still serves the old
            // one; the current certificate stays valid, so an operator has time to reconnect it.
            throw new AgentException("console at " + address + " returned another CA certificate than the one"
                    + " this sensor trusts; CA rotation needs 'sensor-agent connect --force'");
        }
        if (response.sensorId() != null && !response.sensorId().equals(identity.sensorId())) {
            throw new AgentException("console at " + address + " renewed sensor " + response.sensorId()
                    + " instead of " + identity.sensorId());
        }
        X509Certificate certificate = IssuedCertificates.verify(response.certificatePem(), keyPair.getPublic(), ca,
                clock.instant());
        Identity renewed = identity.withCertificate(certificate);
        stateDir.saveRenewal(renewed, keyPair.getPrivate(), response.certificatePem(), response.caCertificatePem());
        return new Renewal(renewed, new Credentials(keyPair.getPrivate(), certificate, ca));
    }
}
