package io.sensorfleet.console.agentplane;

import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.console.platform.ProblemType;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The agent plane's router: every feature's {@link AgentEndpoints}, the CRL, a 404 for anything
 * else, and one failure handler that turns errors into problem details.
 */
@ApplicationScoped
public class AgentRouter {
    private static final Logger LOG = Logger.getLogger(AgentRouter.class);

    private final List<AgentEndpoints> endpoints;
    private final AgentResponses responses;
    private final RevocationList revocations;
    private final AgentPlaneConfig config;

    AgentRouter(Instance<AgentEndpoints> endpoints, AgentResponses responses, RevocationList revocations,
                AgentPlaneConfig config) {
        this.endpoints = endpoints.stream().toList();
        this.responses = responses;
        this.revocations = revocations;
        this.config = config;
    }

    Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        // Before the body handler: uploads stream to storage instead of being buffered.
        endpoints.forEach(e -> e.streamingRoutes(r));
        r.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        r.get(AgentPaths.CRL).blockingHandler(this::crl, false);
        endpoints.forEach(e -> e.routes(r));
        r.route().last().handler(ctx -> responses.problem(ctx, new ProblemException(ProblemType.NOT_FOUND,
                "no agent-plane endpoint " + ctx.request().method() + " " + ctx.request().path())));
        r.route().failureHandler(this::failure);
        return r;
    }

    private void crl(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/pkix-crl").end(Buffer.buffer(revocations.crl()));
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof ProblemException p) {
            responses.problem(ctx, p);
        } else if (ctx.statusCode() == 413) {
            responses.problem(ctx, new ProblemException(ProblemType.TOO_LARGE,
                    "the body exceeds " + config.maxBodyBytes() + " bytes"));
        } else {
            LOG.error("agent-plane request failed", t);
            responses.problem(ctx, new ProblemException(ProblemType.INTERNAL_ERROR,
                    "the console could not complete the request; see its log"));
        }
    }
}
