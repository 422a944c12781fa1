package io.sensorfleet.console.certificates;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.lib.certificates.CertificateBundle;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

@Path("/api/v1/certificates")
@Tag(name = "Certificates")
public class CertificateResource {

    /**
     * Either {@code certificate} (PEM text, or base64 of DER) with {@code privateKey} (PEM, optionally
     * encrypted: then {@code passphrase}) and optional {@code chain} (PEM, issuer first), or
     * {@code pkcs12} (base64) with {@code password}.
     */
    public record Upload(@Size(max = 65536) String certificate, @Size(max = 65536) String privateKey,
                         @Size(max = 1024) String passphrase, @Size(max = 262144) String chain,
                         @Size(max = 262144) String pkcs12, @Size(max = 1024) String password) {
    }

    @Inject
    OperatorCertificateService operator;
    @Inject
    CertificateValidationPolicy validation;

    @GET
    @Path("/operator")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get the operator-plane certificate", description = "The certificate the console presents "
            + "on its HTTPS port now: subject, issuer, validity, key, signature algorithm, names, CRL distribution points.")
    public CertificateInfo current() {
        return operator.current();
    }

    @POST
    @Path("/operator")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Replace the operator-plane certificate", description = "Checks the upload (parseable, key "
            + "matches, valid now, RSA >= 2048 or EC P-256/P-384, SHA-256 or stronger, chain in order, a name of this "
            + "console, a CRL distribution point when validation is on) and applies it to new connections on every "
            + "instance without a restart. A refused upload changes nothing.")
    public CertificateInfo upload(@jakarta.validation.Valid @NotNull Upload u, @Context SecurityContext sc) {
        return operator.upload(bundle(u), validation.enabled(), sc.getUserPrincipal().getName());
    }

    @POST
    @Path("/inspect")
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME})
    @Operation(summary = "Inspect a certificate", description = "Shows what is in a certificate (PEM or base64 DER) "
            + "without installing anything, and, when a private key is given too, whether it belongs to it.")
    public CertificateInfo inspect(@NotNull Upload u) {
        if (u.pkcs12() != null) {
            CertificateBundle c = CertificateChecks.fromPkcs12(decode(u.pkcs12(), "pkcs12"), u.password());
            return CertificateInfo.of(c.leaf(), CertificateChecks.matches(c));
        }
        if (u.privateKey() == null) {
            return CertificateInfo.of(CertificateChecks.certificate(certificate(u)), null);
        }
        CertificateBundle c = CertificateChecks.fromParts(certificate(u), u.privateKey(), u.passphrase(), u.chain());
        return CertificateInfo.of(c.leaf(), CertificateChecks.matches(c));
    }

    /** The upload as a checked bundle; also the web console's way in, so both take the same forms. */
    public static CertificateBundle bundle(Upload u) {
        if (u.pkcs12() != null) {
            return CertificateChecks.fromPkcs12(decode(u.pkcs12(), "pkcs12"), u.password());
        }
        return CertificateChecks.fromParts(certificate(u), u.privateKey(), u.passphrase(), u.chain());
    }

    private static byte[] certificate(Upload u) {
        if (u.certificate() == null || u.certificate().isBlank()) {
            throw ProblemException.badRequest("certificate: required (PEM, or base64 of DER), or pkcs12");
        }
        return u.certificate().contains("-----BEGIN") ? u.certificate().getBytes(StandardCharsets.US_ASCII)
                : decode(u.certificate(), "certificate");
    }

    private static byte[] decode(String base64, String field) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field + ": not base64");
        }
    }
}
