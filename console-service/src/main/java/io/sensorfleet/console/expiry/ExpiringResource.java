package io.sensorfleet.console.expiry;

import io.sensorfleet.console.platform.Role;
import io.sensorfleet.console.common.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/certificates/expiring")
@Tag(name = "Certificates")
public class ExpiringResource {
    static final int MAX_DAYS = 3650;
    static final int MAX_ACTIVATIONS = 1000;

    /**
     * @param truncated more activation files expire in the window than the {@value #MAX_ACTIVATIONS} listed
     */
    public record Expiring(int days, List<ExpiringItem> items, boolean truncated) {
    }

    @Inject
    Expirations expirations;

    @GET
    @RolesAllowed({Role.ADMIN_NAME, Role.ANALYST_NAME, Role.READ_ONLY_NAME})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "List what expires soon", description = "Certificates the console holds (internal CA, the "
            + "operator-plane certificate and the agent-plane server certificate of the answering instance) and "
            + "sensors' activation files that expire within `days` (default 30, 0 to 3650) or already expired, "
            + "soonest first. At most 1000 activation files are listed; `truncated` says when there are more.")
    public Expiring list(@QueryParam("days") String days) {
        return expirations.within(days(days));
    }

    private static int days(String days) {
        if (days == null || days.isBlank()) {
            return 30;
        }
        try {
            int d = Integer.parseInt(days.strip());
            if (d >= 0 && d <= MAX_DAYS) {
                return d;
            }
        } catch (NumberFormatException e) {
            // same answer as out of range
        }
        throw ProblemException.badRequest("days: a whole number of days from 0 to " + MAX_DAYS);
    }

}
