package io.sensorfleet.console.enrollment;

import io.sensorfleet.console.agentplane.AgentEndpoints;
import io.sensorfleet.console.agentplane.AgentRequests;
import io.sensorfleet.console.agentplane.AgentResponses;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.RenewRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Enrollment and renewal on the agent plane. They run on worker threads (the database work), bounded
 * so a burst gets 429 with Retry-After instead of an unbounded queue; their CSR checks and
 * signatures go to the {@link io.sensorfleet.console.certificates.SigningPool}, one thread per core.
 */
@ApplicationScoped
class EnrollmentAgentRoutes implements AgentEndpoints {
    private static final int MAX_CONCURRENT_ISSUING = 64;

    private final Semaphore issuing = new Semaphore(MAX_CONCURRENT_ISSUING);
    private final EnrollmentService enrollment;
    private final AgentRequests requests;
    private final AgentResponses responses;

    EnrollmentAgentRoutes(EnrollmentService enrollment, AgentRequests requests, AgentResponses responses) {
        this.enrollment = enrollment;
        this.requests = requests;
        this.responses = responses;
    }

    @Override
    public void routes(Router r) {
        r.post(AgentPaths.ENROLL).blockingHandler(this::enroll, false);
        r.post(AgentPaths.RENEW).blockingHandler(this::renew, false);
    }

    private void enroll(RoutingContext ctx) {
        bounded(ctx, () -> enrollment.enroll(requests.body(ctx, EnrollRequest.class)));
    }

    private void renew(RoutingContext ctx) {
        UUID sensor = requests.sensor(ctx).sensorId();
        bounded(ctx, () -> enrollment.renew(sensor, requests.body(ctx, RenewRequest.class)));
    }

    private void bounded(RoutingContext ctx, Supplier<Object> work) {
        if (!issuing.tryAcquire()) {
            responses.problem(ctx, new ProblemException(ProblemType.BUSY,
                    "the console is issuing many certificates at once; retry after 1 second")
                    .withRetryAfter(Duration.ofSeconds(1)));
            return;
        }
        try {
            responses.json(ctx, 200, work.get());
        } finally {
            issuing.release();
        }
    }
}
