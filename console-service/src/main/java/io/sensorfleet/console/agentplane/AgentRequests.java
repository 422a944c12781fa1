package io.sensorfleet.console.agentplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorfleet.console.common.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;

/** Reading agent-plane requests, the same way for every feature's routes: hostile input is a 400 problem. */
@ApplicationScoped
public class AgentRequests {
    @Inject
    ObjectMapper mapper;

    /** The JSON body as {@code type}. */
    public <T> T body(RoutingContext ctx, Class<T> type) {
        Buffer b = ctx.body().buffer();
        if (b == null || b.length() == 0) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        try {
            return mapper.readValue(b.getBytes(), type);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "malformed-json", "Malformed JSON",
                    "the body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("the body cannot be read");
        }
    }

    /** A whole-number query parameter within bounds, or the default when absent. */
    public static long number(RoutingContext ctx, String name, long dflt, long min, long max) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(name + ": a whole number from " + min + " to " + max);
    }
}
