package io.sensorfleet.console.web.pages;

import io.quarkus.qute.TemplateExtension;
import io.sensorfleet.console.backups.BackupViews;
import io.sensorfleet.console.updates.UpdateViews;

import java.util.Set;

/** Sums the templates need about a collection's or a rollout's progress (Qute has no arithmetic). */
@TemplateExtension
final class ProgressExtensions {
    private ProgressExtensions() {
    }

    static int total(BackupViews.Progress p) {
        return p.pending() + p.running() + p.done() + p.failed();
    }

    static int settled(BackupViews.Progress p) {
        return p.done() + p.failed();
    }

    static int open(BackupViews.Progress p) {
        return p.pending() + p.running();
    }

    private static final Set<String> UNDER_WAY = Set.of("QUEUED", "DOWNLOADING", "BACKING_UP", "VERIFYING", "INSTALLING",
            "VALIDATING");

    static long sensorCount(UpdateViews.Rollout r) {
        return r.stages().values().stream().mapToLong(Long::longValue).sum();
    }

    static long succeededCount(UpdateViews.Rollout r) {
        return count(r, Set.of("SUCCEEDED"));
    }

    /** Failed or rolled back: the sensors "retry failed" queues again. */
    static long failedCount(UpdateViews.Rollout r) {
        return count(r, Set.of("FAILED", "ROLLED_BACK"));
    }

    static long underWayCount(UpdateViews.Rollout r) {
        return count(r, UNDER_WAY);
    }

    /** Waiting for their batch, or blocked (a new activation file first). */
    static long waitingCount(UpdateViews.Rollout r) {
        return count(r, Set.of("WAITING", "BLOCKED"));
    }

    /** Left out: refused (the package does not apply) or cancelled. */
    static long leftOutCount(UpdateViews.Rollout r) {
        return count(r, Set.of("REFUSED", "CANCELLED"));
    }

    /** Sensors whose update has ended one way or another. */
    static long settledCount(UpdateViews.Rollout r) {
        return succeededCount(r) + failedCount(r) + leftOutCount(r);
    }

    static boolean underWay(UpdateViews.Target t) {
        return UNDER_WAY.contains(t.stage()) && !"DOWNLOADING".equals(t.stage());
    }

    private static long count(UpdateViews.Rollout r, Set<String> stages) {
        return r.stages().entrySet().stream().filter(e -> stages.contains(e.getKey())).mapToLong(e -> e.getValue()).sum();
    }
}
