package io.sensorfleet.console.work;

import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.agentplane.RevocationList;
import io.sensorfleet.console.agentplane.SensorIdentity;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

/**
 * The one work long-poll of the agent plane ({@code GET /agent/v1/work?settingsKnown=&waitSeconds=}):
 * 200 with everything the console has for the sensor now, or 204 when the wait ends.
 */
@ApplicationScoped
public class WorkRoutes implements AgentEndpoints {
    private final RevocationList revocations;
    private final AgentRequests requests;
    private final WorkChannel channel;

    @Inject
    WorkRoutes(RevocationList revocations, AgentRequests requests, WorkChannel channel) {
        this.revocations = revocations;
        this.requests = requests;
        this.channel = channel;
    }

    @Override
    public void routes(Router r) {
        r.get(AgentPaths.WORK).blockingHandler(this::poll, false);
    }

    private void poll(RoutingContext ctx) {
        UUID sensor = SensorIdentity.of(ctx.request().sslSession(), revocations).sensorId();
        long known = AgentRequests.number(ctx, "settingsKnown", -1, -1, Long.MAX_VALUE);
        requests.longPoll(ctx, sensor, (id, wait, reply) -> channel.poll(id, WorkWaiters.Lane.WORK, known, wait,
                reply::accept));
    }
}
