package io.sensorfleet.console.activation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.agentplane.AgentResponses;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.activation.ActivationInstalled;
import io.sensorfleet.protocol.v1.activation.ActivationKeyList;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Activation on the agent plane: the trusted activation keys, and a sensor's report of an installed file. */
@ApplicationScoped
class ActivationAgentRoutes implements AgentEndpoints {
    private final ActivationKeys keys;
    private final ActivationService activation;
    private final AgentRequests requests;
    private final AgentResponses responses;

    ActivationAgentRoutes(ActivationKeys keys, ActivationService activation, AgentRequests requests,
                          AgentResponses responses) {
        this.keys = keys;
        this.activation = activation;
        this.requests = requests;
        this.responses = responses;
    }

    @Override
    public void routes(Router r) {
        r.get(AgentPaths.ACTIVATION_KEYS).blockingHandler(this::keys, false);
        r.post(AgentPaths.ACTIVATION).blockingHandler(this::installed, false);
    }

    private void keys(RoutingContext ctx) {
        requests.sensor(ctx);
        responses.json(ctx, 200, QuarkusTransaction.requiringNew().call(() -> new ActivationKeyList(keys.all().stream()
                .filter(k -> k.retiredAt() == null)
                .map(k -> new ActivationKeyList.Key(k.kid(), k.publicKey())).toList())));
    }

    private void installed(RoutingContext ctx) {
        UUID sensor = requests.sensor(ctx).sensorId();
        ActivationInstalled installed = requests.body(ctx, ActivationInstalled.class);
        UUID fileId;
        try {
            fileId = UUID.fromString(installed == null ? "" : String.valueOf(installed.fileId()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("fileId: the id of an activation file");
        }
        activation.confirmInstalled(sensor, fileId);
        responses.noContent(ctx);
    }
}
