package io.sensorfleet.console.work;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.console.common.PgListener;
import io.sensorfleet.protocol.v1.work.Work;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * How work reaches sensors: every feature that has work for sensors contributes a {@link WorkFeed}
 * bean; this instance keeps one {@link WorkWaiters} for all of them and one {@link PgListener}
 * connection that listens on every feed's channel. Console instances share nothing but the
 * database: a change made on one is announced to all by NOTIFY, and the feeds' claims make each
 * task go out once.
 */
@ApplicationScoped
public class WorkChannel {
    /** A notification missed while the listener reconnected is caught within this. */
    private static final Duration FALLBACK_CHECK = Duration.ofSeconds(3);

    private final Vertx vertx;
    private final AgroalDataSource dataSource;
    private final Instance<WorkFeed> feedBeans;
    private WorkWaiters waiters;
    private PgListener listener;

    @Inject
    WorkChannel(Vertx vertx, AgroalDataSource dataSource, @Any Instance<WorkFeed> feedBeans) {
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.feedBeans = feedBeans;
    }

    void start(@Observes StartupEvent ev) {
        Map<String, Runnable> handlers = new LinkedHashMap<>();
        WorkWaiters w = waiters();
        for (WorkFeed feed : feeds()) {
            handlers.put(feed.channel(), () -> w.changed(feed));
        }
        listener = new PgListener(dataSource, "work", FALLBACK_CHECK, handlers);
        listener.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (listener != null) {
            listener.stop();
        }
    }

    private List<WorkFeed> feeds() {
        return feedBeans.stream().toList();
    }

    private synchronized WorkWaiters waiters() {
        if (waiters == null) {
            waiters = new WorkWaiters(vertx, feeds());
        }
        return waiters;
    }

    /** See {@link WorkWaiters#poll}. */
    public Runnable poll(UUID sensor, WorkWaiters.Lane lane, long settingsKnown, Duration wait,
                         Consumer<Optional<Work>> reply) {
        return waiters().poll(sensor, lane, settingsKnown, wait, reply);
    }

    public int waitingCount() {
        return waiters().waitingCount();
    }
}
