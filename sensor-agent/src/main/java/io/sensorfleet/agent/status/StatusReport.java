package io.sensorfleet.agent.status;

import io.sensorfleet.agent.AgentConfig;
import io.sensorfleet.agent.activation.ActivationStore;
import io.sensorfleet.agent.activation.ActivationWarning;
import io.sensorfleet.agent.identity.AgentStatus;
import io.sensorfleet.agent.identity.HttpsCertificate;
import io.sensorfleet.agent.identity.Identity;
import io.sensorfleet.agent.identity.RenewalPolicy;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.agent.update.InstalledVersions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code sensor-agent status --json} prints and the local HTTPS endpoint serves at
 * {@code GET /status}: one record, so both always say the same.
 */
public record StatusReport(String sensorId, String sensorName, List<String> addresses, int heartbeatIntervalSeconds,
                           Instant certificateNotAfter, Instant certificateRenewalFrom, String certificateFingerprint,
                           Instant lastAttemptAt,
                           Instant lastSuccessAt, int consecutiveFailures, String lastError, Instant lastErrorAt,
                           String stateDir, String activationMode, Instant activationExpiresAt, String activationWarning,
                           String httpsCertificateSubject, Instant httpsCertificateNotAfter, Boolean httpsCertificateSelfSigned,
                           String softwareVersion) {

    /** @throws io.sensorfleet.agent.identity.NotConnectedException when the sensor was never connected */
    public static StatusReport of(AgentConfig config, StateDir stateDir) {
        Identity identity = stateDir.requireIdentity();
        AgentStatus status = stateDir.status();
        Instant renewalFrom = new RenewalPolicy().renewAt(stateDir.certificate());
        var activation = new ActivationStore(stateDir.path()).current(identity.sensorId());
        Instant expires = activation.map(a -> a.expiresAt()).orElse(null);
        Optional<HttpsCertificate> https = stateDir.httpsCertificate();
        return new StatusReport(identity.sensorId(), identity.sensorName(), identity.addresses(),
                identity.heartbeatIntervalSeconds(), identity.certificateNotAfter(), renewalFrom,
                identity.certificateFingerprint(), status.lastAttemptAt(), status.lastSuccessAt(),
                status.consecutiveFailures(), status.lastError(), status.lastErrorAt(), stateDir.path().toString(),
                activation.map(a -> a.mode().name()).orElse(null), expires,
                ActivationWarning.of(expires, config.clock().instant()),
                https.map(h -> h.certificate().getSubjectX500Principal().getName()).orElse(null),
                https.map(h -> h.certificate().getNotAfter().toInstant()).orElse(null),
                https.map(HttpsCertificate::selfSigned).orElse(null),
                InstalledVersions.running(stateDir.path(), config.softwareVersion()));
    }
}
