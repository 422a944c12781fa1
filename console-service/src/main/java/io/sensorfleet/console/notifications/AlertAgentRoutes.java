package io.sensorfleet.console.notifications;

import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.agentplane.AgentResponses;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.UUID;

/**
 * Alerts on the agent plane: queued for the next group commit of {@link AlertIntake} (with their
 * forwarding outbox rows) and answered on the event loop once stored.
 */
@ApplicationScoped
class AlertAgentRoutes implements AgentEndpoints {
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final AlertIntake alerts;
    private final AgentRequests requests;
    private final AgentResponses responses;

    AlertAgentRoutes(AlertIntake alerts, AgentRequests requests, AgentResponses responses) {
        this.alerts = alerts;
        this.requests = requests;
        this.responses = responses;
    }

    @Override
    public void routes(Router r) {
        r.post(AgentPaths.ALERTS).handler(this::alert);
    }

    private void alert(RoutingContext ctx) {
        UUID sensor = requests.sensor(ctx).sensorId();
        var queued = alerts.submit(sensor, requests.body(ctx, AlertReport.class));
        if (queued.isEmpty()) {
            responses.problem(ctx, new ProblemException(ProblemType.BUSY,
                    "the console is recording many alerts at once; retry after 1 second").withRetryAfter(RETRY));
            return;
        }
        queued.get().whenComplete((receipt, error) -> ctx.vertx().runOnContext(v -> {
            if (error == null) {
                responses.json(ctx, 200, receipt);
            } else {
                responses.problem(ctx, new ProblemException(ProblemType.ALERT_NOT_STORED,
                        "the console could not store the alert now; send it again").withRetryAfter(RETRY));
            }
        }));
    }
}
