package io.sensorfleet.console.common;

import io.quarkus.arc.Arc;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

/**
 * Work on files that must follow the database, not precede it: a stored file is deleted only once
 * the row that pointed to it is gone for good, so a rolled-back transaction never leaves a row
 * without its file.
 */
public final class AfterCommit {
    private static final Logger LOG = Logger.getLogger(AfterCommit.class);

    private AfterCommit() {
    }

    /** Runs {@code work} after the current transaction commits (not at all if it rolls back). */
    public static void run(Runnable work) {
        TransactionSynchronizationRegistry registry = Arc.container().instance(TransactionSynchronizationRegistry.class).get();
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        LOG.warnf("clean-up after commit failed: %s", e.getMessage());
                    }
                }
            }
        });
    }
}
