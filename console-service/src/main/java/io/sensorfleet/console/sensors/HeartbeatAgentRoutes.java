package io.sensorfleet.console.sensors;

import io.sensorfleet.protocol.v1.update.Versions;
import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.agentplane.AgentResponses;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.health.HealthChecks;
import io.sensorfleet.protocol.v1.activation.ActivationState;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;
import io.sensorfleet.lib.activation.ActivationMode;
import io.quarkus.arc.ClientProxy;
import io.sensorfleet.console.platform.IsoInstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Heartbeats on the agent plane, answered on the event loop with no I/O: they only land in
 * {@link HeartbeatBuffer}.
 */
@ApplicationScoped
class HeartbeatAgentRoutes implements AgentEndpoints {

    private final HeartbeatBuffer heartbeats;
    private final AgentRequests requests;
    private final AgentResponses responses;
    private final Clock clock;
    private final int intervalSeconds;

    HeartbeatAgentRoutes(HeartbeatBuffer heartbeats, HeartbeatConfig config, AgentRequests requests,
                         AgentResponses responses, Clock clock) {
        // The beans themselves, not their client proxies: every call through a proxy looks the bean up
        // again, a few per cent of the console's CPU per heartbeat (heartbeat-10k profile).
        this.heartbeats = ClientProxy.unwrap(heartbeats);
        this.requests = ClientProxy.unwrap(requests);
        this.responses = ClientProxy.unwrap(responses);
        this.clock = clock;
        this.intervalSeconds = (int) config.interval().toSeconds();
    }

    @Override
    public void routes(Router r) {
        r.post(AgentPaths.HEARTBEAT).handler(this::heartbeat);
    }

    private void heartbeat(RoutingContext ctx) {
        UUID sensor = requests.sensor(ctx).sensorId();
        HeartbeatRequest hb = requests.body(ctx, HeartbeatRequest.class);
        if (hb == null || hb.sentAt() == null || hb.health() == null || hb.health().status() == null) {
            throw ProblemException.badRequest("sentAt, softwareVersion and health.status are required");
        }
        if (!Versions.valid(hb.softwareVersion())) {
            throw ProblemException.badRequest("softwareVersion: letters, digits and . + _ - only, at most 64");
        }
        if (hb.health().detail() != null && hb.health().detail().length() > 1024) {
            throw ProblemException.badRequest("health.detail: at most 1024 characters");
        }
        if (hb.roundTripMs() != null && (hb.roundTripMs() < 0 || hb.roundTripMs() > HeartbeatRequest.MAX_ROUND_TRIP_MS)) {
            throw ProblemException.badRequest("roundTripMs: 0 to " + HeartbeatRequest.MAX_ROUND_TRIP_MS + " milliseconds");
        }
        // Checked here: one malformed value must never spoil the batched write of everyone's heartbeats.
        HealthChecks.validate(hb.health());
        if (hb.activation() != null && !validActivation(hb.activation())) {
            throw ProblemException.badRequest("activation: fileId must be a UUID, mode LOCALLY_MANAGED or CONSOLE_CONNECTED");
        }
        Instant now = clock.instant();
        heartbeats.record(sensor, hb, now);
        responses.encodedJson(ctx, 200, answer(now, intervalSeconds));
    }

    /**
     * The {@link HeartbeatResponse} as Jackson writes it ({@code serverTime} as ISO-8601 text), written
     * directly: the answer to every heartbeat, and Jackson's bean serialiser with its date formatter
     * was a visible share of the per-heartbeat CPU.
     */
    static byte[] answer(Instant now, int intervalSeconds) {
        return ("{\"serverTime\":\"" + IsoInstants.format(now) + "\",\"heartbeatIntervalSeconds\":" + intervalSeconds + "}")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean validActivation(ActivationState a) {
        try {
            UUID.fromString(String.valueOf(a.fileId()));
            ActivationMode.valueOf(String.valueOf(a.mode()));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
