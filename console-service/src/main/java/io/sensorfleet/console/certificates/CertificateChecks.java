package io.sensorfleet.console.certificates;

import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.lib.certificates.CertificateBundle;
import io.sensorfleet.lib.certificates.CertificateRefusal;
import io.sensorfleet.lib.certificates.CertificateRules;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The checks on an uploaded operator-plane certificate: those shared with the
 * sensor's import ({@link CertificateRules}), then the console's own: the certificate names the
 * console host, and names a CRL distribution point while certificate validation is on. Every
 * refusal is a 400 whose detail starts with the JSON field in error.
 */
public final class CertificateChecks {

    private CertificateChecks() {
    }

    /** From separate certificate (PEM or DER), key (PEM, maybe encrypted) and chain (PEM). */
    public static CertificateBundle fromParts(byte[] certificate, String keyPem, String passphrase, String chainPem) {
        return refused(() -> CertificateBundle.fromParts(certificate, keyPem, passphrase,
                chainPem == null ? null : chainPem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The first certificate in PEM or DER data, for inspection without a key. */
    public static X509Certificate certificate(byte[] data) {
        return refused(() -> CertificateBundle.certificates(data, CertificateRefusal.Part.CERTIFICATE).getFirst());
    }

    /** From a PKCS#12 bundle. */
    public static CertificateBundle fromPkcs12(byte[] p12, String password) {
        return refused(() -> CertificateBundle.fromPkcs12(p12, password));
    }

    /** Every check, in the order an operator would fix them. */
    public static void check(CertificateBundle c, Instant now, Collection<String> consoleNames, boolean requireCrl) {
        refused(() -> {
            CertificateRules.check(c, now);
            return null;
        });
        if (consoleNames.stream().noneMatch(n -> covers(c.leaf(), n))) {
            throw invalid("certificate", "the certificate names " + CertificateInfo.of(c.leaf(), null).subjectAlternativeNames()
                    + " but none of this console's names " + consoleNames);
        }
        if (requireCrl && CertificateRules.crlDistributionPoints(c.leaf()).isEmpty()) {
            throw invalid("certificate", "certificate validation is on, so the certificate must name a CRL "
                    + "distribution point; it names none");
        }
    }

    static boolean matches(CertificateBundle c) {
        return CertificateRules.keyMatches(c.key(), c.leaf().getPublicKey());
    }

    private static boolean covers(X509Certificate c, String name) {
        List<String> sans = CertificateInfo.of(c, null).subjectAlternativeNames();
        String n = name.toLowerCase(Locale.ROOT);
        for (String san : sans) {
            String v = san.substring(san.indexOf(':') + 1).toLowerCase(Locale.ROOT);
            if (v.equals(n)) {
                return true;
            }
            // A wildcard covers exactly one label: *.plant.example covers console.plant.example only.
            if (v.startsWith("*.") && n.endsWith(v.substring(1))) {
                String label = n.substring(0, n.length() - v.length() + 1);
                if (!label.isEmpty() && !label.contains(".")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T> T refused(Supplier<T> step) {
        try {
            return step.get();
        } catch (CertificateRefusal e) {
            throw invalid(field(e.part()), e.getMessage());
        }
    }

    /** The upload's JSON field for each part. */
    private static String field(CertificateRefusal.Part part) {
        return switch (part) {
            case CERTIFICATE -> "certificate";
            case PRIVATE_KEY -> "privateKey";
            case PASSPHRASE -> "passphrase";
            case CHAIN -> "chain";
            case PKCS12 -> "pkcs12";
            case PASSWORD -> "password";
        };
    }

    static ProblemException invalid(String field, String detail) {
        return new ProblemException(ProblemType.CERTIFICATE_INVALID, field + ": " + detail);
    }
}
