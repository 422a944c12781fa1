package io.sensorfleet.console.agentplane;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.math.BigInteger;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.UUID;

/**
 * The sensor behind an agent-plane request, taken from its client certificate (already verified
 * against the internal CA by the TLS layer); never from the request body.
 */
public record SensorIdentity(UUID sensorId, BigInteger serial) {
    /*
     * Kept in the TLS session once read: a kept-alive sensor sends many requests over one session,
     * and reading the peer certificate and parsing its subject again for each was a fifth of the
     * console's CPU per heartbeat (heartbeat-10k profile). The session's peer certificate cannot
     * change; revocation is still checked at every request.
     */
    private static final String SESSION_KEY = "io.sensorfleet.sensor-identity";

    public static SensorIdentity of(SSLSession session, RevocationList revocations) {
        if (session != null && session.getValue(SESSION_KEY) instanceof SensorIdentity known) {
            requireNotRevoked(known.serial(), revocations);
            return known;
        }
        SensorIdentity read = read(session, revocations);
        session.putValue(SESSION_KEY, read);
        return read;
    }

    private static SensorIdentity read(SSLSession session, RevocationList revocations) {
        Certificate[] chain;
        try {
            chain = session == null ? null : session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            chain = null;
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            throw new ProblemException(ProblemType.CLIENT_CERTIFICATE_REQUIRED,
                    "this endpoint needs the sensor's certificate issued by this console (mutual TLS)");
        }
        requireNotRevoked(cert.getSerialNumber(), revocations);
        return new SensorIdentity(sensorId(cert), cert.getSerialNumber());
    }

    private static void requireNotRevoked(BigInteger serial, RevocationList revocations) {
        if (revocations.isRevoked(serial)) {
            throw new ProblemException(ProblemType.CERTIFICATE_REVOKED,
                    "the sensor certificate " + serial.toString(16) + " has been revoked; "
                            + "connect the sensor again with a new connection string");
        }
    }

    private static UUID sensorId(X509Certificate cert) {
        try {
            String ou = null;
            String cn = null;
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("OU")) {
                    ou = rdn.getValue().toString();
                }
            }
            if (!"sensor".equals(ou) || cn == null) {
                throw notSensor();
            }
            return UUID.fromString(cn);
        } catch (InvalidNameException | IllegalArgumentException e) {
            throw notSensor();
        }
    }

    private static ProblemException notSensor() {
        return new ProblemException(ProblemType.NOT_A_SENSOR_CERTIFICATE,
                "the client certificate was not issued to a sensor");
    }
}
