package io.sensorfleet.agent.appliance;

import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.lib.settings.SettingsValidator;
import io.sensorfleet.lib.settings.Violation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The privileged side of the appliance: the only code that runs as root. It serves one request per
 * connection (systemd starts one instance per connection on its socket, stdin and stdout being the
 * connection) with a fixed set of operations, and trusts nothing the unprivileged agent sends: every
 * value is validated again with the catalogue's rules, unknown keys are refused, and a restore
 * may only write the network files this appliance owns. A compromised agent can therefore do
 * no more than the console could through settings.
 */
public final class ApplianceHelper {
    /** The operations, and no other. */
    public enum Op { APPLY, READ_BACK, SNAPSHOT_NETWORK, RESTORE_NETWORK, KEYS }

    /** One request; {@code values} for APPLY and READ_BACK, {@code snapshot} for RESTORE_NETWORK. */
    public record Request(Op op, Map<String, Object> values, NetworkSnapshot snapshot) {
    }

    /** The answer; {@code key} and {@code error} when the operation failed. */
    public record Response(boolean ok, String key, String error, Map<String, Object> values, NetworkSnapshot snapshot,
                           Set<String> keys) {
        static Response failed(String key, String error) {
            return new Response(false, key, error, null, null, null);
        }
    }

    static final int MAX_REQUEST = 256 * 1024;

    private final LinuxAppliance appliance;
    private final Json json = AgentJson.mapper();

    public ApplianceHelper(LinuxAppliance appliance) {
        this.appliance = appliance;
    }

    /** Reads one request from {@code in}, carries it out, writes the response to {@code out}. */
    public void serve(InputStream in, OutputStream out) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST + 1);
        Response response;
        if (body.length > MAX_REQUEST) {
            response = Response.failed(null, "request larger than " + MAX_REQUEST + " bytes");
        } else {
            try {
                response = handle(json.readValue(body, Request.class));
            } catch (IOException | IllegalArgumentException e) {
                response = Response.failed(null, "unreadable request: " + e.getMessage());
            }
        }
        out.write(json.writeValueAsBytes(response));
        out.flush();
    }

    Response handle(Request request) {
        if (request.op() == null) {
            return Response.failed(null, "no operation");
        }
        try {
            return switch (request.op()) {
                case KEYS -> new Response(true, null, null, null, null, appliance.keys());
                case APPLY -> {
                    Map<String, Object> values = request.values() == null ? Map.of() : request.values();
                    List<Violation> violations = new ArrayList<>(SettingsValidator.validate(values));
                    violations.addAll(SettingsValidator.validateNetwork(values));
                    if (!violations.isEmpty()) {
                        Violation first = violations.getFirst();
                        yield Response.failed(first.key(), "refused: " + first.rule());
                    }
                    appliance.apply(values);
                    yield new Response(true, null, null, null, null, null);
                }
                case READ_BACK -> new Response(true, null, null,
                        appliance.readBack(request.values() == null ? Map.of() : request.values()), null, null);
                case SNAPSHOT_NETWORK -> new Response(true, null, null, null, appliance.snapshotNetwork(), null);
                case RESTORE_NETWORK -> {
                    if (request.snapshot() == null) {
                        yield Response.failed(null, "no snapshot to restore");
                    }
                    appliance.restoreNetwork(request.snapshot());
                    yield new Response(true, null, null, null, null, null);
                }
            };
        } catch (ApplianceException e) {
            return Response.failed(e.key(), e.getMessage().substring(e.key().length() + 2));
        } catch (RuntimeException e) {
            return Response.failed(null, "helper error: " + e);
        }
    }
}
