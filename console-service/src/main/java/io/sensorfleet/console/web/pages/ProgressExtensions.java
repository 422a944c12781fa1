package io.sensorfleet.console.web.pages;

import io.quarkus.qute.TemplateExtension;
import io.sensorfleet.console.backups.BackupViews;

/** Sums the templates need about a collection's progress (Qute has no arithmetic). */
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
}
