package io.sensorfleet.console.history;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The history's periodic work, on every instance: each run is a no-op where another instance did it already. */
@ApplicationScoped
class HistoryJobs {
    private static final Logger LOG = Logger.getLogger(HistoryJobs.class);
    private final FleetHistory fleet;

    HistoryJobs(FleetHistory fleet) {
        this.fleet = fleet;
    }

    @Scheduled(every = "${sensorfleet.history.rollup-interval:15s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rollUp() {
        // A database outage costs the charts a gap, not an error per run: the next run catches up.
        try {
            fleet.rollUp();
        } catch (RuntimeException e) {
            LOG.warnf("fleet roll-up skipped: %s", e.getMessage());
        }
    }

    @Scheduled(every = "${sensorfleet.history.prune-interval:1h}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        try {
            fleet.prune();
        } catch (RuntimeException e) {
            LOG.warnf("history pruning skipped until its next run: %s", e.getMessage());
        }
    }
}
