package io.sensorfleet.agent.enrollment;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.AgentException;
import io.sensorfleet.agent.AgentLog;
import io.sensorfleet.agent.Sleeper;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleClient;
import io.sensorfleet.agent.client.ConsoleClientFactory;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.IssuedCertificates;
import io.sensorfleet.agent.identity.Pem;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.enrollment.ConnectionString;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.enrollment.Fingerprints;

import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Joins the sensor to a console: a new key pair made here, a CSR and the one-time token sent over
 * TLS pinned to the connection string's CA fingerprint, and the issued identity stored only after
 * it was checked. Nothing is written unless enrollment succeeds.
 */
public final class Enroller {
    static final int DEFAULT_INTERVAL_SECONDS = 30;

    private final AgentConfig config;
    private final StateDir stateDir;
    private final AgentTls tls;
    private final CsrFactory csrFactory;
    private final ConsoleClientFactory clients;
    private final Sleeper sleeper;
    private final AgentLog log;

    public Enroller(AgentConfig config, StateDir stateDir, AgentTls tls, CsrFactory csrFactory,
                    ConsoleClientFactory clients, Sleeper sleeper, AgentLog log) {
        this.config = config;
        this.stateDir = stateDir;
        this.tls = tls;
        this.csrFactory = csrFactory;
        this.clients = clients;
        this.sleeper = sleeper;
        this.log = log;
    }

    /**
     * Enrolls at the first of the connection string's addresses that answers.
     *
     * @param force replace an existing identity instead of refusing
     * @return the stored identity
     * @throws AlreadyConnectedException when connected already and {@code force} is false
     * @throws EnrollmentException       when no console enrolled the sensor; the message says why
     */
    public Identity connect(ConnectionString connection, boolean force) {
        if (!force) {
            // Not even read when forced: --force is also how an operator repairs a damaged state dir.
            Optional<Identity> existing = stateDir.identity();
            if (existing.isPresent()) {
                throw new AlreadyConnectedException(existing.get());
            }
        }
        KeyPair keyPair = csrFactory.newKeyPair();
        EnrollRequest request = new EnrollRequest(connection.token(), csrFactory.csrPem(keyPair), config.hostname(),
                config.softwareVersion());
        Duration waited = Duration.ZERO;
        try (ConsoleClient client = clients.create(tls.pinned(connection.caFingerprint()))) {
            while (true) {
                Round round = tryEachAddress(client, connection.addresses(), request);
                if (round.response() != null) {
                    return store(connection, round.address(), keyPair, round.response());
                }
                Duration retryAfter = round.retryAfter();
                if (retryAfter == null || waited.plus(retryAfter).compareTo(config.enrollRetryBudget()) > 0) {
                    throw new EnrollmentException(round.failure(), round.cause(), retryAfter);
                }
                log.info("console busy (" + round.failure() + "); retrying enrollment in " + retryAfter.toSeconds() + " s");
                sleep(retryAfter);
                waited = waited.plus(retryAfter);
            }
        }
    }

    /** One pass over the addresses: a response, or why none answered (the last cause) and when to retry. */
    private record Round(AgentAddress address, EnrollResponse response, String failure, ConsoleCallException cause,
                         Duration retryAfter) {
    }

    private Round tryEachAddress(ConsoleClient client, List<AgentAddress> addresses, EnrollRequest request) {
        List<String> failures = new ArrayList<>();
        ConsoleCallException last = null;
        Duration soonest = null;
        for (AgentAddress address : addresses) {
            try {
                return new Round(address, client.enroll(address, request), null, null, null);
            } catch (ConsoleException e) {
                if (!e.transientFailure()) {
                    // A token problem is the console's final word; another instance would say the same.
                    throw new EnrollmentException(e.getMessage(), e);
                }
                failures.add(e.getMessage());
                last = e;
                soonest = min(soonest, e.retryAfter().orElse(null));
            } catch (ConsoleCallException e) {
                failures.add(e.getMessage());
                last = e;
            }
        }
        String failure = failures.size() == 1 ? failures.getFirst()
                : "no console address answered: " + String.join("; ", failures);
        return new Round(null, null, failure, last, soonest);
    }

    private static Duration min(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Identity store(ConnectionString connection, AgentAddress answered, KeyPair keyPair,
                           EnrollResponse response) {
        try {
            X509Certificate ca = Pem.readCertificate(response.caCertificatePem());
            String caFingerprint = Fingerprints.sha256Hex(ca.getEncoded());
            if (!caFingerprint.equals(connection.caFingerprint())) {
                throw new EnrollmentException("console at " + answered + " returned a CA certificate whose fingerprint "
                        + caFingerprint + " differs from the connection string's " + connection.caFingerprint(), null);
            }
            X509Certificate certificate = IssuedCertificates.verify(response.certificatePem(), keyPair.getPublic(), ca,
                    config.clock().instant());
            if (response.sensorId() == null || response.sensorId().isBlank()) {
                throw new EnrollmentException("console at " + answered + " returned no sensor id", null);
            }
            Identity identity = new Identity(response.sensorId(),
                    response.sensorName() != null ? response.sensorName() : response.sensorId(),
                    addresses(connection, response),
                    response.heartbeatIntervalSeconds() > 0 ? response.heartbeatIntervalSeconds() : DEFAULT_INTERVAL_SECONDS,
                    certificate.getNotAfter().toInstant(), Identity.fingerprint(certificate), config.clock().instant());
            stateDir.saveEnrollment(identity, keyPair.getPrivate(), response.certificatePem(),
                    response.caCertificatePem());
            return identity;
        } catch (CertificateException e) {
            throw new EnrollmentException("console at " + answered + " returned an unreadable CA certificate: "
                    + e.getMessage(), e);
        } catch (EnrollmentException e) {
            throw e;
        } catch (AgentException e) {
            throw new EnrollmentException(e.getMessage(), e);
        }
    }

    /**
     * The connection string's addresses first (the operator chose them and one answered), then any
     * the console adds, such as a newly added instance.
     */
    private static List<String> addresses(ConnectionString connection, EnrollResponse response) {
        Set<String> merged = new LinkedHashSet<>();
        connection.addresses().forEach(a -> merged.add(a.toString()));
        if (response.addresses() != null) {
            for (String address : response.addresses()) {
                try {
                    merged.add(AgentAddress.parse(address).toString());
                } catch (IllegalArgumentException e) {
                    // an address this agent cannot use is no reason to refuse the enrollment
                }
            }
        }
        return List.copyOf(merged);
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrollmentException("enrollment interrupted", e);
        }
    }
}
