package io.sensorfleet.agent.status;

import io.sensorfleet.agent.InvalidInputException;
import io.sensorfleet.agent.identity.CsrFactory;
import io.sensorfleet.agent.identity.HttpsCertificate;
import io.sensorfleet.agent.identity.StateDir;
import io.sensorfleet.lib.certificates.CertificateBundle;
import io.sensorfleet.lib.certificates.CertificateRefusal;
import io.sensorfleet.lib.certificates.CertificateRules;
import io.sensorfleet.lib.certificates.SelfSigned;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificate of the sensor's local HTTPS endpoint: imported by an operator (seed:
 * {@code cyberx-xsense-certificate-import}) after the same checks as the console's upload, or
 * self-signed by the agent when it has none. Either way it is stored in the state dir in one
 * atomic step; a refused import leaves the previous one in place.
 */
public final class HttpsCertificates {
    /** Files larger than this are not certificates or keys. */
    private static final long MAX_FILE = 1 << 20;
    private static final Duration SELF_SIGNED_LIFETIME = Duration.ofDays(365);

    private final StateDir stateDir;
    private final Clock clock;

    public HttpsCertificates(StateDir stateDir, Clock clock) {
        this.stateDir = stateDir;
        this.clock = clock;
    }

    /**
     * Checks and installs an operator's certificate.
     *
     * @param passphraseSet whether the operator says the key is encrypted ({@code --passphrase-set})
     * @throws InvalidInputException naming the flag whose file is refused and why; nothing is changed then
     */
    public HttpsCertificate importFiles(Path crt, Path key, Path chain, String passphrase, boolean passphraseSet) {
        byte[] certificate = read(crt, "--crt");
        String keyPem = new String(read(key, "--key"), StandardCharsets.US_ASCII);
        byte[] chainBytes = chain == null ? null : read(chain, "--chain");
        if (passphraseSet && (passphrase == null || passphrase.isEmpty())) {
            throw new InvalidInputException("--passphrase-set true says the key is encrypted: give its passphrase with --pass");
        }
        CertificateBundle bundle;
        try {
            bundle = CertificateBundle.fromParts(certificate, keyPem, passphrase, chainBytes);
            // Only once the key was read: an unreadable key deserves that message, not this one.
            if (passphraseSet && !CertificateBundle.encrypted(keyPem)) {
                throw new InvalidInputException("--passphrase-set true, but the key in " + key + " is not encrypted; "
                        + "leave out --passphrase-set and --pass");
            }
            CertificateRules.check(bundle, clock.instant());
        } catch (CertificateRefusal e) {
            throw new InvalidInputException(flag(e.part()) + ": " + e.getMessage());
        }
        List<X509Certificate> all = new ArrayList<>();
        all.add(bundle.leaf());
        all.addAll(bundle.chain());
        stateDir.saveHttpsCertificate(bundle.key(), all);
        return new HttpsCertificate(bundle.key(), all);
    }

    /**
     * The installed certificate; a self-signed one is made first when there is none, or when the
     * agent's own self-signed one expired (an imported one is never replaced behind the operator's back).
     */
    public HttpsCertificate ensure(String hostname) {
        Instant now = clock.instant();
        var current = stateDir.httpsCertificate();
        if (current.isPresent() && !(current.get().selfSigned()
                && !now.isBefore(current.get().certificate().getNotAfter().toInstant()))) {
            return current.get();
        }
        HttpsCertificate made = selfSigned(hostname, now);
        stateDir.saveHttpsCertificate(made.key(), made.chain());
        return made;
    }

    private static HttpsCertificate selfSigned(String hostname, Instant now) {
        KeyPair kp = new CsrFactory().newKeyPair();
        return new HttpsCertificate(kp.getPrivate(),
                List.of(SelfSigned.serverCertificate(kp, "SensorFleet sensor", hostname, now, SELF_SIGNED_LIFETIME)));
    }

    private static byte[] read(Path file, String flag) {
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new InvalidInputException(flag + ": " + file + " is larger than " + MAX_FILE + " bytes; "
                        + "not a certificate or key file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(flag + ": no such file " + file);
        } catch (IOException e) {
            throw new InvalidInputException(flag + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The command-line flag that supplies each part. */
    private static String flag(CertificateRefusal.Part part) {
        return switch (part) {
            case CERTIFICATE -> "--crt";
            case PRIVATE_KEY -> "--key";
            case PASSPHRASE -> "--pass";
            case CHAIN -> "--chain";
            case PKCS12, PASSWORD -> throw new IllegalStateException("the sensor imports no PKCS#12 bundles");
        };
    }
}
