package io.sensorfleet.console.settings;

import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.agentplane.AgentResponses;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Settings on the agent plane: the long-poll for a newer revision, and the sensor's acknowledgement. */
@ApplicationScoped
class SettingsAgentRoutes implements AgentEndpoints {
    private final SettingsWaiters waiters;
    private final SettingsAcks acks;
    private final AgentRequests requests;
    private final AgentResponses responses;

    SettingsAgentRoutes(SettingsWaiters waiters, SettingsAcks acks, AgentRequests requests, AgentResponses responses) {
        this.waiters = waiters;
        this.acks = acks;
        this.requests = requests;
        this.responses = responses;
    }

    @Override
    public void routes(Router r) {
        r.get(AgentPaths.SETTINGS).blockingHandler(this::settings, false);
        r.post(AgentPaths.SETTINGS_ACK).handler(this::ack);
    }

    private void settings(RoutingContext ctx) {
        UUID sensor = requests.sensor(ctx).sensorId();
        long known = AgentRequests.number(ctx, "known", -1, -1, Long.MAX_VALUE);
        // Like the task long-polls: withdrawn when its connection closes, not held until the wait ends.
        requests.longPoll(ctx, sensor, (id, wait, reply) -> waiters.poll(id, known, wait, reply::accept));
    }

    private void ack(RoutingContext ctx) {
        UUID sensor = requests.sensor(ctx).sensorId();
        SettingsAck ack = requests.body(ctx, SettingsAck.class);
        if (ack == null || ack.revision() < 0) {
            throw ProblemException.badRequest("revision: required, not negative");
        }
        if ((ack.appliedValues() != null && ack.appliedValues().size() > 200)
                || (ack.driftKeys() != null && ack.driftKeys().size() > 200)
                || (ack.reason() != null && ack.reason().length() > 4000)) {
            throw ProblemException.badRequest("appliedValues and driftKeys: at most 200 entries; reason: at most 4000 characters");
        }
        acks.record(sensor, ack);
        responses.noContent(ctx);
    }
}
