package io.sensorfleet.console.certificates;

import io.sensorfleet.console.platform.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

@Path("/api/v1/certificates/agent-ca")
@Tag(name = "Certificates")
public class AgentCaResource {

    /**
     * @param certificatePem     the CA certificate, PEM
     * @param sha256Fingerprint  what connection strings carry, lower-case hex
     */
    public record AgentCaView(String subject, String certificatePem, String sha256Fingerprint, Instant notAfter) {
    }

    @Inject
    InternalCa ca;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Operation(summary = "Get the agent CA", description = "The internal CA that issues sensor certificates and "
            + "the agent plane's server certificates, with the SHA-256 fingerprint that connection strings carry.")
    public AgentCaView get() {
        return new AgentCaView(ca.certificate().getSubjectX500Principal().getName(), ca.certificatePem(),
                ca.fingerprint(), ca.certificate().getNotAfter().toInstant());
    }
}
