package io.sensorfleet.console.notifications;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sensorfleet.protocol.v1.alerts.AlertReceipt;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records the alerts sensors report in groups: one worker takes every alert waiting and records
 * them in one transaction (one INSERT for all), then answers each sensor — only after the commit,
 * so an answered alert is stored. While a group commits the next one gathers, so the rate follows
 * the load instead of paying one transaction per alert (the forwarding benchmark found that cap
 * near 420 alerts/s). A bounded queue: when it is full the sensor is told to come back (429), and
 * its outbox keeps the alert.
 */
@ApplicationScoped
public class AlertIntake {
    private static final Logger LOG = Logger.getLogger(AlertIntake.class);
    static final int MAX_WAITING = 10_000;
    static final int MAX_GROUP = 1_000;

    private record Waiting(SystemEvents.ReportedAlert alert, CompletableFuture<AlertReceipt> answer) {
    }

    private final LinkedBlockingQueue<Waiting> queue = new LinkedBlockingQueue<>(MAX_WAITING);
    private final DistributionSummary groups;
    private volatile boolean running;
    private Thread worker;

    @Inject
    SystemEvents events;

    @Inject
    public AlertIntake(MeterRegistry registry) {
        groups = DistributionSummary.builder("sensorfleet.alerts.group").description("alerts recorded per transaction")
                .register(registry);
    }

    void start(@Observes StartupEvent ev) {
        running = true;
        worker = Thread.ofPlatform().name("alert-intake").daemon(true).start(this::work);
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
        // Whatever is still waiting was not stored: those sensors keep the alerts and send them again.
        List<Waiting> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(w -> w.answer().completeExceptionally(new IllegalStateException("the console is stopping")));
    }

    /**
     * Validates the alert and queues it.
     *
     * @return the answer once stored, or empty when too many alerts wait already (answer 429)
     * @throws io.sensorfleet.console.common.ProblemException 400 for an invalid alert
     */
    public Optional<CompletableFuture<AlertReceipt>> submit(UUID sensorId, AlertReport report) {
        SensorAlerts.check(report);
        CompletableFuture<AlertReceipt> answer = new CompletableFuture<>();
        return queue.offer(new Waiting(new SystemEvents.ReportedAlert(sensorId, report), answer))
                ? Optional.of(answer) : Optional.empty();
    }

    private void work() {
        List<Waiting> group = new ArrayList<>(MAX_GROUP);
        while (running || !queue.isEmpty()) {
            try {
                Waiting first = queue.poll(250, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                record(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void record(List<Waiting> group) {
        List<Boolean> duplicates;
        try {
            duplicates = QuarkusTransaction.requiringNew()
                    .call(() -> events.recordAlerts(group.stream().map(Waiting::alert).toList()));
        } catch (RuntimeException e) {
            LOG.warnf("recording %d alerts failed; their sensors will send them again: %s", group.size(), e.getMessage());
            group.forEach(w -> w.answer().completeExceptionally(e));
            return;
        }
        groups.record(group.size());
        for (int i = 0; i < group.size(); i++) {
            Waiting w = group.get(i);
            w.answer().complete(new AlertReceipt(w.alert().report().alertId(), duplicates.get(i)));
        }
    }
}
