package io.sensorfleet.console.agentplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.common.Problems;
import io.sensorfleet.protocol.v1.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Writing agent-plane answers, the same way for every feature's routes. */
@ApplicationScoped
public class AgentResponses {
    // Header name and value encoded once, not at every answer (heartbeats are most of the agent plane's answers).
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private final ObjectMapper mapper;

    AgentResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code body} as JSON with {@code status}. */
    public void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(Buffer.buffer(write(body)));
    }

    /** JSON the caller encoded itself (the heartbeat answer: two fields, written without Jackson). */
    public void encodedJson(RoutingContext ctx, int status, byte[] json) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(Buffer.buffer(json));
    }

    /** 204, nothing to say. */
    public void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }

    /** The problem as {@code application/problem+json}, with Retry-After when it has one; nothing if already answered. */
    public void problem(RoutingContext ctx, ProblemException e) {
        Problem p = Problems.of(e, ctx.request().path());
        if (!ctx.response().ended()) {
            if (e.retryAfter() != null) {
                ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            }
            ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(write(p)));
        }
    }

    private byte[] write(Object o) {
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
