package io.sensorfleet.console.work;

import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.update.UpdateTask;
import io.sensorfleet.protocol.v1.work.Work;

/** What a sensor can be handed over the work long-poll: one per field of {@link Work}. */
public enum WorkKind {
    SETTINGS {
        @Override
        Work add(Work to, Object item) {
            return new Work((SettingsPush) item, to.backup(), to.update());
        }
    },
    /** A backup or a restore task. */
    BACKUP {
        @Override
        Work add(Work to, Object item) {
            return new Work(to.settings(), (BackupTask) item, to.update());
        }
    },
    UPDATE {
        @Override
        Work add(Work to, Object item) {
            return new Work(to.settings(), to.backup(), (UpdateTask) item);
        }
    };

    /** {@code to} with {@code item} in this kind's field. */
    abstract Work add(Work to, Object item);
}
