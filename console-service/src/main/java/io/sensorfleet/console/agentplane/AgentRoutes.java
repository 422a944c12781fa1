package io.sensorfleet.console.agentplane;

import io.sensorfleet.console.platform.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sensorfleet.console.activation.ActivationKeys;
import io.sensorfleet.console.activation.ActivationService;
import io.sensorfleet.console.backups.BackupAgentRoutes;
import io.sensorfleet.console.updates.UpdateAgentRoutes;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.ActivationInstalled;
import io.sensorfleet.protocol.v1.ActivationKeyList;
import java.util.UUID;
import io.sensorfleet.console.common.Problems;
import io.sensorfleet.console.enrollment.EnrollmentService;
import io.sensorfleet.console.notifications.AlertIntake;
import io.sensorfleet.console.sensors.HeartbeatBuffer;
import io.sensorfleet.console.sensors.HeartbeatConfig;
import io.sensorfleet.console.settings.SettingsAcks;
import io.sensorfleet.console.settings.SettingsWaiters;
import io.sensorfleet.protocol.v1.SettingsAck;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.AlertReport;
import io.sensorfleet.protocol.v1.EnrollRequest;
import io.sensorfleet.protocol.v1.HeartbeatRequest;
import io.sensorfleet.protocol.v1.HeartbeatResponse;
import io.sensorfleet.protocol.v1.Problem;
import io.sensorfleet.protocol.v1.RenewRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Handlers of the agent plane. Heartbeats are answered on the event loop with no I/O (they only
 * land in {@link HeartbeatBuffer}); enrollment and renewal run on worker threads, bounded so a
 * burst gets 429 with Retry-After instead of an unbounded queue.
 */
@ApplicationScoped
public class AgentRoutes {
    private static final Logger LOG = Logger.getLogger(AgentRoutes.class);
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");
    private static final int MAX_CONCURRENT_ISSUING = 64;

    private final Semaphore issuing = new Semaphore(MAX_CONCURRENT_ISSUING);

    @Inject
    ObjectMapper mapper;
    @Inject
    AgentRequests requests;
    @Inject
    EnrollmentService enrollment;
    @Inject
    HeartbeatBuffer heartbeats;
    @Inject
    AlertIntake alerts;
    @Inject
    HeartbeatConfig heartbeatConfig;
    @Inject
    RevocationList revocations;
    @Inject
    AgentPlaneConfig config;
    @Inject
    SettingsWaiters settingsWaiters;
    @Inject
    ActivationKeys activationKeys;
    @Inject
    ActivationService activation;
    @Inject
    SettingsAcks settingsAcks;
    @Inject
    Clock clock;
    @Inject
    BackupAgentRoutes backupRoutes;
    @Inject
    UpdateAgentRoutes updateRoutes;

    Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        // Before the body handler: uploads stream to storage instead of being buffered.
        backupRoutes.streamingRoutes(r);
        r.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        r.post(AgentPaths.ENROLL).blockingHandler(this::enroll, false);
        r.post(AgentPaths.RENEW).blockingHandler(this::renew, false);
        r.post(AgentPaths.HEARTBEAT).handler(this::heartbeat);
        r.post(AgentPaths.ALERTS).handler(this::alert);
        r.get(AgentPaths.CRL).blockingHandler(this::crl, false);
        r.get(AgentPaths.SETTINGS).blockingHandler(this::settings, false);
        r.get(AgentPaths.ACTIVATION_KEYS).blockingHandler(this::activationKeys, false);
        r.post(AgentPaths.ACTIVATION).blockingHandler(this::activationInstalled, false);
        r.post(AgentPaths.SETTINGS_ACK).handler(this::settingsAck);
        backupRoutes.routes(r);
        updateRoutes.routes(r);
        r.route().last().handler(ctx -> problem(ctx, new ProblemException(ProblemType.NOT_FOUND,
                "no agent-plane endpoint " + ctx.request().method() + " " + ctx.request().path())));
        r.route().failureHandler(this::failure);
        return r;
    }

    private void enroll(RoutingContext ctx) {
        bounded(ctx, () -> enrollment.enroll(requests.body(ctx, EnrollRequest.class)));
    }

    private void renew(RoutingContext ctx) {
        SensorIdentity id = SensorIdentity.of(ctx.request().sslSession(), revocations);
        bounded(ctx, () -> enrollment.renew(id.sensorId(), requests.body(ctx, RenewRequest.class)));
    }

    private void heartbeat(RoutingContext ctx) {
        SensorIdentity id = SensorIdentity.of(ctx.request().sslSession(), revocations);
        HeartbeatRequest hb = requests.body(ctx, HeartbeatRequest.class);
        if (hb == null || hb.sentAt() == null || hb.health() == null || hb.health().status() == null) {
            throw ProblemException.badRequest("sentAt, softwareVersion and health.status are required");
        }
        if (hb.softwareVersion() == null || !VERSION.matcher(hb.softwareVersion()).matches()) {
            throw ProblemException.badRequest("softwareVersion: letters, digits and . + _ - only, at most 64");
        }
        if (hb.health().detail() != null && hb.health().detail().length() > 1024) {
            throw ProblemException.badRequest("health.detail: at most 1024 characters");
        }
        // Checked here: one malformed value must never spoil the batched write of everyone's heartbeats.
        if (hb.activation() != null && !validActivation(hb.activation())) {
            throw ProblemException.badRequest("activation: fileId must be a UUID, mode LOCALLY_MANAGED or CONSOLE_CONNECTED");
        }
        Instant now = clock.instant();
        heartbeats.record(id.sensorId(), hb, now);
        json(ctx, 200, new HeartbeatResponse(now, (int) heartbeatConfig.interval().toSeconds()));
    }

    private void settings(RoutingContext ctx) {
        SensorIdentity id = SensorIdentity.of(ctx.request().sslSession(), revocations);
        long known = AgentRequests.number(ctx, "known", -1, -1, Long.MAX_VALUE);
        long wait = AgentRequests.number(ctx, "waitSeconds", 25, 0, 55);
        settingsWaiters.poll(id.sensorId(), known, java.time.Duration.ofSeconds(wait), push -> {
            if (push.isPresent()) {
                json(ctx, 200, push.get());
            } else if (!ctx.response().ended()) {
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    private static boolean validActivation(io.sensorfleet.protocol.v1.ActivationState a) {
        try {
            UUID.fromString(String.valueOf(a.fileId()));
            io.sensorfleet.protocol.v1.activation.ActivationMode.valueOf(String.valueOf(a.mode()));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void activationKeys(RoutingContext ctx) {
        SensorIdentity.of(ctx.request().sslSession(), revocations);
        json(ctx, 200, QuarkusTransaction.requiringNew().call(() -> new ActivationKeyList(activationKeys.all().stream()
                .filter(k -> k.retiredAt() == null)
                .map(k -> new ActivationKeyList.Key(k.kid(), k.publicKey())).toList())));
    }

    private void activationInstalled(RoutingContext ctx) {
        SensorIdentity id = SensorIdentity.of(ctx.request().sslSession(), revocations);
        ActivationInstalled installed = requests.body(ctx, ActivationInstalled.class);
        UUID fileId;
        try {
            fileId = UUID.fromString(installed == null ? "" : String.valueOf(installed.fileId()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("fileId: the id of an activation file");
        }
        activation.confirmInstalled(id.sensorId(), fileId);
        ctx.response().setStatusCode(204).end();
    }

    private void settingsAck(RoutingContext ctx) {
        SensorIdentity id = SensorIdentity.of(ctx.request().sslSession(), revocations);
        SettingsAck ack = requests.body(ctx, SettingsAck.class);
        if (ack == null || ack.revision() < 0) {
            throw ProblemException.badRequest("revision: required, not negative");
        }
        if ((ack.appliedValues() != null && ack.appliedValues().size() > 200)
                || (ack.driftKeys() != null && ack.driftKeys().size() > 200)
                || (ack.reason() != null && ack.reason().length() > 4000)) {
            throw ProblemException.badRequest("appliedValues and driftKeys: at most 200 entries; reason: at most 4000 characters");
        }
        settingsAcks.record(id.sensorId(), ack);
        ctx.response().setStatusCode(204).end();
    }


    /** Alerts are written to the database (with their forwarding outbox rows) before the answer. */
    /** Queued for the next group commit; answered on the event loop once stored. */
    private void alert(RoutingContext ctx) {
        SensorIdentity id = SensorIdentity.of(ctx.request().sslSession(), revocations);
        var queued = alerts.submit(id.sensorId(), requests.body(ctx, AlertReport.class));
        if (queued.isEmpty()) {
            ctx.response().putHeader("Retry-After", "1");
            problem(ctx, new ProblemException(ProblemType.BUSY,
                    "the console is recording many alerts at once; retry after 1 second"));
            return;
        }
        queued.get().whenComplete((receipt, error) -> ctx.vertx().runOnContext(v -> {
            if (error == null) {
                json(ctx, 200, receipt);
            } else {
                ctx.response().putHeader("Retry-After", "1");
                problem(ctx, new ProblemException(ProblemType.ALERT_NOT_STORED,
                        "the console could not store the alert now; send it again"));
            }
        }));
    }

    private void crl(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/pkix-crl").end(Buffer.buffer(revocations.crl()));
    }

    private void bounded(RoutingContext ctx, java.util.function.Supplier<Object> work) {
        bounded(ctx, issuing, "the console is issuing many certificates at once; retry after 1 second", work);
    }

    private void bounded(RoutingContext ctx, Semaphore permits, String busy, java.util.function.Supplier<Object> work) {
        if (!permits.tryAcquire()) {
            ctx.response().putHeader("Retry-After", "1");
            problem(ctx, new ProblemException(ProblemType.BUSY, busy));
            return;
        }
        try {
            json(ctx, 200, work.get());
        } finally {
            permits.release();
        }
    }


    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof ProblemException p) {
            problem(ctx, p);
        } else if (ctx.statusCode() == 413) {
            problem(ctx, new ProblemException(ProblemType.TOO_LARGE,
                    "the body exceeds " + config.maxBodyBytes() + " bytes"));
        } else {
            LOG.error("agent-plane request failed", t);
            problem(ctx, new ProblemException(ProblemType.INTERNAL_ERROR,
                    "the console could not complete the request; see its log"));
        }
    }

    private void problem(RoutingContext ctx, ProblemException e) {
        Problem p = Problems.of(e, ctx.request().path());
        if (!ctx.response().ended()) {
            if (e.retryAfter() != null) {
                ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
            }
            ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(write(p)));
        }
    }

    private void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(write(body)));
    }

    private byte[] write(Object o) {
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
