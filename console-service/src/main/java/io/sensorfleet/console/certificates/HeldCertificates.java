package io.sensorfleet.console.certificates;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificates this console instance holds, for expiry tracking: the internal CA (shared by
 * all instances), the operator-plane certificate it presents, and its agent-plane server
 * certificate (each instance issues its own at start).
 */
@ApplicationScoped
public class HeldCertificates {
    /** What a certificate is for. */
    public enum Kind {
        INTERNAL_CA("the internal CA"),
        OPERATOR_PLANE("the operator-plane (HTTPS) certificate"),
        AGENT_PLANE_SERVER("the agent-plane server certificate");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public record Held(Kind kind, X509Certificate certificate) {
    }

    private final InternalCa ca;
    private final OperatorCertificateService operator;

    HeldCertificates(InternalCa ca, OperatorCertificateService operator) {
        this.ca = ca;
        this.operator = operator;
    }

    private volatile X509Certificate agentPlane;

    /** Called by the agent plane when it has issued itself its server certificate. */
    public void agentPlaneServer(X509Certificate certificate) {
        this.agentPlane = certificate;
    }

    public List<Held> all() {
        List<Held> held = new ArrayList<>();
        held.add(new Held(Kind.INTERNAL_CA, ca.certificate()));
        operator.installedCertificate().ifPresent(c -> held.add(new Held(Kind.OPERATOR_PLANE, c)));
        Optional.ofNullable(agentPlane).ifPresent(c -> held.add(new Held(Kind.AGENT_PLANE_SERVER, c)));
        return held;
    }
}
