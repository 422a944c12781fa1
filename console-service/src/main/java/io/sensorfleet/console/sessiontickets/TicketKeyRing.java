package io.sensorfleet.console.sessiontickets;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.OpenSslSessionStats;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.ToLongFunction;

/**
 * The ticket keys this instance's OpenSSL server contexts use: loaded from the database at the
 * first use, then every poll interval, and installed into every context the agent plane creates
 * (one per listener). Also counts what the contexts did with tickets, for the metrics.
 * <p>
 * When the database cannot be reached the current keys stay: tickets keep working until they
 * expire, and sensors fall back to full handshakes after that.
 */
@ApplicationScoped
public class TicketKeyRing {
    private static final Logger LOG = Logger.getLogger(TicketKeyRing.class);

    private final TicketKeyStore store;
    private final TicketKeySchedule schedule;
    private final SessionTicketConfig config;
    private final Clock clock;
    /** Weak: a context Vert.x dropped (listener closed) must not be kept alive by the ring. */
    private final Set<OpenSslServerSessionContext> contexts = Collections.newSetFromMap(new WeakHashMap<>());
    private volatile OpenSslSessionTicketKey[] keys;

    TicketKeyRing(TicketKeyStore store, SessionTicketConfig config, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.schedule = new TicketKeySchedule(config);
        this.config = config;
        this.clock = clock;
        Map<String, ToLongFunction<OpenSslSessionStats>> outcomes = Map.of(
                "issued", OpenSslSessionStats::ticketKeyNew,
                "resumed", OpenSslSessionStats::ticketKeyResume,
                "resumed-old-key", OpenSslSessionStats::ticketKeyRenew,
                "unknown-key", OpenSslSessionStats::ticketKeyFail);
        outcomes.forEach((outcome, stat) -> FunctionCounter.builder("sensorfleet.agent.plane.tls.tickets", this, r -> r.sum(stat))
                .description("TLS session tickets on the agent plane: issued, used to resume (with the current or an older key), "
                        + "or refused for an unknown (rotated out or foreign) key")
                .tag("outcome", outcome).register(registry));
    }

    /** The Vert.x engine options of the agent plane: OpenSSL with the shared ticket keys (plain OpenSSL, no tickets, when disabled). */
    public OpenSSLEngineOptions engineOptions() {
        if (!config.enabled()) {
            return new OpenSSLEngineOptions();
        }
        if (keys == null) {
            refresh();
            if (keys == null) {
                throw new IllegalStateException("cannot load the TLS session ticket keys from the database");
            }
        }
        return new ResumableOpenSslOptions(this);
    }

    /** Rotates as due and installs the keys in use into every context. */
    @Scheduled(every = "${sensorfleet.session-tickets.poll-interval:1m}", delayed = "${sensorfleet.session-tickets.poll-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        if (!config.enabled()) {
            return;
        }
        List<TicketKeyStore.TicketKey> loaded;
        try {
            loaded = store.rotateAndLoad(schedule, clock.instant());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("cannot refresh the TLS session ticket keys, keeping the current ones: %s", e.getMessage());
            return;
        }
        OpenSslSessionTicketKey[] fresh = loaded.stream()
                .map(k -> new OpenSslSessionTicketKey(k.name(), k.hmacKey(), k.aesKey()))
                .toArray(OpenSslSessionTicketKey[]::new);
        synchronized (contexts) {
            keys = fresh;
            contexts.forEach(this::install);
        }
    }

    /** Called for each server context the agent plane creates. */
    void register(OpenSslServerSessionContext context) {
        context.setSessionTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, config.ticketLifetime().toSeconds())));
        synchronized (contexts) {
            contexts.add(context);
            install(context);
        }
    }

    private void install(OpenSslServerSessionContext context) {
        OpenSslSessionTicketKey[] k = keys;
        if (k != null && k.length > 0) {
            context.setTicketKeys(k);
        }
    }

    private long sum(ToLongFunction<OpenSslSessionStats> stat) {
        synchronized (contexts) {
            return contexts.stream().mapToLong(c -> stat.applyAsLong(c.stats())).sum();
        }
    }
}
