package io.sensorfleet.console.agentplane;

import io.vertx.ext.web.Router;

/**
 * A feature's part of the agent plane. Each feature with agent endpoints provides one CDI bean
 * implementing this; {@link AgentRouter} registers them all, so the agent plane lists no feature.
 * Handlers read requests with {@link AgentRequests}, answer with {@link AgentResponses}, and throw
 * {@code ProblemException} for errors: the router's failure handler renders them.
 */
public interface AgentEndpoints {
    /** Routes that read their body as a stream; registered before the body handler would buffer it. */
    default void streamingRoutes(Router router) {
    }

    /** Routes with small JSON bodies (read by the body handler, at most {@code max-body-bytes}) or none. */
    void routes(Router router);
}
