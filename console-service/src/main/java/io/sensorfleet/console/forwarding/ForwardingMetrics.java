package io.sensorfleet.console.forwarding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * Forwarding in {@code /q/metrics}: attempts by rule, action and result (delivered, failed,
 * parked), delivery time by kind, deliveries under way on this instance, and the messages waiting
 * or parked per action (read from the database, the same on every instance).
 */
@ApplicationScoped
class ForwardingMetrics {
    /** Pending and parked messages of one action. */
    record Backlog(UUID ruleId, UUID actionId, String state, long count) {
    }

    private final MeterRegistry registry;
    private final MultiGauge backlog;

    @Inject
    ForwardingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.backlog = MultiGauge.builder("sensorfleet.forwarding.outbox.messages")
                .description("outbox messages waiting (PENDING) or given up (PARKED), per action").register(registry);
    }

    void inFlight(IntSupplier count) {
        // Strong: nothing else holds the supplier, and a weakly held one would be collected.
        Gauge.builder("sensorfleet.forwarding.in.flight", count, IntSupplier::getAsInt).strongReference(true)
                .description("deliveries under way on this instance").register(registry);
    }

    void attempt(Outbox.Result r) {
        String result = r.delivered() ? "delivered" : r.parked() ? "parked" : "failed";
        Counter.builder("sensorfleet.forwarding.attempts").description("delivery attempts by result")
                .tags("rule", r.ruleId().toString(), "action", r.actionId().toString(), "kind", r.kind().name(),
                        "result", result)
                .register(registry).increment();
        Timer.builder("sensorfleet.forwarding.delivery.time").description("time to hand one message to a receiver")
                .tags("kind", r.kind().name()).register(registry).record(Duration.ofMillis(r.durationMs()));
    }

    void backlog(List<Backlog> rows) {
        backlog.register(rows.stream().map(b -> MultiGauge.Row.of(Tags.of("rule", b.ruleId().toString(),
                "action", b.actionId().toString(), "state", b.state()), b.count())).toList(), true);
    }
}
