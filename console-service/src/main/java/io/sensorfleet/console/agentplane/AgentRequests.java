package io.sensorfleet.console.agentplane;

import io.sensorfleet.console.platform.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.sensorfleet.console.common.ProblemException;
import io.quarkus.arc.ClientProxy;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;

/** Reading agent-plane requests, the same way for every feature's routes: hostile input is a 400 problem. */
@ApplicationScoped
public class AgentRequests {
    private final ObjectMapper mapper;
    private final ObjectMapper bodies;
    private final RevocationList revocations;
    private final java.util.concurrent.atomic.AtomicReference<Encoded> lastEncoded = new java.util.concurrent.atomic.AtomicReference<>();
    // One reader per body type, made once: the heartbeat path reads one body per request.
    private final ClassValue<ObjectReader> readers = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return bodies.readerFor(type);
        }
    };

    AgentRequests(ObjectMapper mapper, RevocationList revocations) {
        this.mapper = mapper;
        this.bodies = AgentJson.reading(mapper);
        // The bean itself, not its client proxy: each call through the proxy looked the bean up again
        // (a few per cent of the heartbeat path's CPU); an application-scoped bean never changes.
        this.revocations = ClientProxy.unwrap(revocations);
    }

    /** The sensor behind the request's client certificate; 401/403 problems for none, a revoked or a non-sensor one. */
    public SensorIdentity sensor(RoutingContext ctx) {
        return SensorIdentity.of(ctx.request().sslSession(), revocations);
    }

    /** The JSON body as {@code type}. */
    public <T> T body(RoutingContext ctx, Class<T> type) {
        Buffer b = ctx.body().buffer();
        if (b == null || b.length() == 0) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        try {
            return readers.get(type).readValue(b.getBytes());
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON,
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

    /** Where a download resumes: {@code Range: bytes=<from>-} (the only form supported), 0 without one; else 416. */
    public static long rangeStart(String range, long size) {
        if (range == null) {
            return 0;
        }
        String r = range.strip();
        if (!r.startsWith("bytes=") || !r.endsWith("-")) {
            throw new ProblemException(ProblemType.RANGE_NOT_SATISFIABLE,
                    "only 'Range: bytes=<from>-' is supported");
        }
        try {
            long from = Long.parseLong(r.substring(6, r.length() - 1));
            if (from >= 0 && from < size) {
                return from;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.RANGE_NOT_SATISFIABLE,
                "the file has " + size + " bytes");
    }

    /** Sends a stored file, or its rest from the request's {@code Range} start (206). */
    public static void sendFile(RoutingContext ctx, java.nio.file.Path file, long size) {
        long from = rangeStart(ctx.request().getHeader("Range"), size);
        ctx.response().putHeader("Content-Type", "application/octet-stream")
                .putHeader("Accept-Ranges", "bytes");
        if (from > 0) {
            ctx.response().setStatusCode(206)
                    .putHeader("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
        }
        ctx.response().sendFile(file.toString(), from, size - from);
    }

    /** Answers a task long-poll: 200 with the task, or 204 when the wait ended without one. */
    public void reply(RoutingContext ctx, java.util.Optional<?> task) {
        if (ctx.response().ended()) {
            return;
        }
        if (task.isEmpty()) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(Buffer.buffer(encoded(task.get())));
    }

    /**
     * The task as JSON, encoded once for a run of answers with the same (immutable) task object: a
     * settings change hands one object to every waiting sensor of a zone, thousands in a row.
     */
    private byte[] encoded(Object task) {
        Encoded last = lastEncoded.get();
        if (last != null && last.task() == task) {
            return last.json();
        }
        try {
            byte[] json = mapper.writeValueAsBytes(task);
            lastEncoded.set(new Encoded(task, json));
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Encoded(Object task, byte[] json) {
    }

    /** Registers a sensor's wait for a task and returns how to withdraw it (see common/TaskWaiters). */
    @FunctionalInterface
    public interface TaskPoll {
        Runnable poll(java.util.UUID sensor, java.time.Duration wait, java.util.function.Consumer<java.util.Optional<?>> reply);
    }

    /**
     * A task long-poll ({@code ?waitSeconds=0..55}, default 25): answered with the task as soon as there is one,
     * 204 when the wait ends; withdrawn when the connection closes.
     */
    public void longPoll(RoutingContext ctx, java.util.UUID sensor, TaskPoll poll) {
        long wait = number(ctx, "waitSeconds", 25, 0, 55);
        // Registered first: a poll answered at once has ended its response, which then takes no handler.
        var withdraw = new java.util.concurrent.atomic.AtomicReference<Runnable>();
        ctx.response().closeHandler(v -> {
            Runnable w = withdraw.get();
            if (w != null) {
                w.run();
            }
        });
        withdraw.set(poll.poll(sensor, java.time.Duration.ofSeconds(wait), task -> reply(ctx, task)));
    }
}
