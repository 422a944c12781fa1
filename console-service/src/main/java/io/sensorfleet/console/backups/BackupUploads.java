package io.sensorfleet.console.backups;

import io.sensorfleet.protocol.v1.update.Versions;
import io.sensorfleet.console.common.Sql;
import io.sensorfleet.console.common.AfterCommit;
import io.sensorfleet.console.common.ProblemException;
import io.sensorfleet.protocol.v1.backup.BackupFailureKind;
import io.sensorfleet.protocol.v1.backup.BackupUploadRequest;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;
import io.sensorfleet.lib.backup.BackupNames;
import io.sensorfleet.lib.backup.SecretsInArchive;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The database and file side of uploads; the bytes themselves stream through
 * {@link BackupAgentRoutes}. An upload is a row in state UPLOADING and a partial file that only
 * grows; its length is what the console has, so a sensor that lost its connection asks again and
 * continues from there. The SHA-256 is checked over the whole file when the last byte arrives,
 * whatever number of pieces it came in.
 */
@ApplicationScoped
public class BackupUploads {
    private static final long MIN_BACKUP_SIZE = 1024;

    /** How starting an upload went: continue from {@code status}, or a refusal already recorded as a failure. */
    record Start(BackupUploadStatus status, BackupProblem refusal) {
    }

    /** Where a PUT's bytes go, and the SHA-256 of what is already there. */
    record Target(UUID backupId, UUID taskId, String storageName, Path part, long size, String sha256, long received,
                  MessageDigest digest) {
    }

    private final EntityManager em;
    private final BackupsConfig config;
    private final BackupStorage storage;
    private final BackupTasks tasks;
    private final BackupSealing sealing;
    private final Clock clock;

    BackupUploads(EntityManager em, BackupsConfig config, BackupStorage storage, BackupTasks tasks, BackupSealing sealing,
                  Clock clock) {
        this.em = em;
        this.config = config;
        this.storage = storage;
        this.tasks = tasks;
        this.sealing = sealing;
        this.clock = clock;
    }

    /** Starts the upload for a task, or tells where an earlier attempt stopped. */
    @Transactional
    public Start start(UUID sensorId, BackupUploadRequest r) {
        validate(r);
        Sql.Row task = row("select state, action, reason from backup_tasks where id = ?1 and sensor_id = ?2 for update",
                r.taskId(), sensorId);
        if (task == null) {
            throw ProblemException.notFound("backup task", r.taskId());
        }
        if (!"BACKUP".equals(task.get(1))) {
            throw ProblemException.badRequest("task " + r.taskId() + " is not a backup");
        }
        if ("DONE".equals(task.get(0))) {
            Sql.Row stored = row("select id, size_bytes from backups where task_id = ?1 and state = 'STORED' "
                    + "and (sha256 = ?2 or sealed_on_arrival_from = ?2)", r.taskId(), r.sha256());
            if (stored != null) { // the sensor missed the answer to its last piece
                long size = stored.longValue(1);
                return new Start(new BackupUploadStatus(stored.uuid(0), size, size, true), null);
            }
        }
        if ("DONE".equals(task.get(0)) || "FAILED".equals(task.get(0))) {
            throw BackupProblem.taskEnded("task " + r.taskId() + " has ended" + (task.get(2) == null ? "" : ": " + task.get(2)));
        }
        Instant now = clock.instant();
        Sql.Row existing = row("select id, sha256, size_bytes, storage_name from backups where task_id = ?1 "
                + "and state = 'UPLOADING'", r.taskId());
        if (existing != null && existing.get(1).equals(r.sha256()) && existing.longValue(2) == r.size()) {
            long have = partLength(existing.string(3));
            em.createNativeQuery("update backups set upload_attempts = upload_attempts + 1, received_bytes = ?1, "
                            + "resumed_from = case when ?1 > 0 then ?1 else resumed_from end where id = ?2")
                    .setParameter(1, have).setParameter(2, existing.get(0)).executeUpdate();
            touch(r.taskId(), have, now);
            if (have == r.size()) {
                // Every byte arrived but the instance that took them did not store them (it died, or the answer
                // was lost before it checked them): check and store them now rather than wait for an empty PUT.
                Target whole = open(sensorId, existing.uuid(0), have);
                return finish(whole, have, hex(whole.digest()));
            }
            return new Start(new BackupUploadStatus(existing.uuid(0), have, r.size(), false), null);
        }
        if (existing != null) { // the sensor took another backup for the task: start over with that one
            em.createNativeQuery("delete from backups where id = ?1").setParameter(1, existing.get(0)).executeUpdate();
            AfterCommit.run(() -> storage.delete(existing.string(3)));
        }
        String refused = allocationCheck(sensorId, r.size());
        BackupFailureKind kind = BackupFailureKind.ALLOCATION_EXCEEDED;
        if (refused == null) {
            long free = storage.usableSpace();
            if (free - r.size() < config.minFreeBytes()) {
                kind = BackupFailureKind.NO_SPACE;
                refused = "backup storage " + storage.root() + " has " + free + " bytes free; this backup of " + r.size()
                        + " bytes would leave less than the reserve of " + config.minFreeBytes() + " bytes";
            }
        }
        if (refused != null) {
            tasks.fail(r.taskId(), kind, refused);
            return new Start(null, BackupProblem.of(kind, refused));
        }
        UUID id = UUID.randomUUID();
        String storageName = BackupStorage.storageName(sensorId, id);
        try {
            storage.createPart(storageName);
        } catch (IOException e) {
            String reason = "cannot write to backup storage " + storage.root() + ": " + e.getMessage();
            tasks.fail(r.taskId(), BackupFailureKind.STORAGE_UNAVAILABLE, reason);
            return new Start(null, BackupProblem.of(BackupFailureKind.STORAGE_UNAVAILABLE, reason));
        }
        em.createNativeQuery("insert into backups (id, sensor_id, sensor_name, task_id, file_name, storage_name, "
                        + "software_version, taken_at, size_bytes, sha256, state, created_at) "
                        + "values (?1, ?2, (select name from sensors where id = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'UPLOADING', ?10)")
                .setParameter(1, id).setParameter(2, sensorId).setParameter(3, r.taskId())
                .setParameter(4, BackupNames.sanitise(r.fileName())).setParameter(5, storageName)
                .setParameter(6, r.softwareVersion()).setParameter(7, r.takenAt()).setParameter(8, r.size())
                .setParameter(9, r.sha256()).setParameter(10, now).executeUpdate();
        em.createNativeQuery("update backup_tasks set state = 'RUNNING', started_at = coalesce(started_at, ?1), "
                        + "updated_at = ?1, bytes_total = ?2, bytes_done = 0 where id = ?3")
                .setParameter(1, now).setParameter(2, r.size()).setParameter(3, r.taskId()).executeUpdate();
        return new Start(new BackupUploadStatus(id, 0, r.size(), false), null);
    }

    /** Null when the backup fits the sensor's allocation beside the ones retention keeps; else why not. */
    private String allocationCheck(UUID sensorId, long size) {
        Sql.Row allocated = row("select bytes from backup_allocations where sensor_id = ?1", sensorId);
        long allocation = allocated == null ? config.allocationBytes() : allocated.longValue(0);
        Sql.Row kept = row("select coalesce(sum(size_bytes), 0), count(*) from (select size_bytes from backups "
                + "where sensor_id = ?1 and state = 'STORED' order by stored_at desc limit ?2) k", sensorId, config.keep() - 1);
        long used = kept.longValue(0);
        if (used + size <= allocation) {
            return null;
        }
        return "backup of " + size + " bytes does not fit the sensor's allocation of " + allocation + " bytes"
                + (used > 0 ? " beside the " + kept.get(1) + " newest backup(s) kept (" + used + " bytes)" : "")
                + "; raise the allocation (PUT /api/v1/backups/allocations/" + sensorId + ") or reduce the sensor's data";
    }

    /** Checks a PUT before its first byte is accepted; computes the digest of what is already stored. */
    @Transactional
    public Target open(UUID sensorId, UUID uploadId, long offset) {
        Sql.Row b = row("select b.task_id, b.storage_name, b.size_bytes, b.sha256, t.state from backups b "
                + "join backup_tasks t on t.id = b.task_id where b.id = ?1 and b.sensor_id = ?2 and b.state = 'UPLOADING'",
                uploadId, sensorId);
        if (b == null) {
            throw ProblemException.notFound("upload", uploadId);
        }
        if (!"RUNNING".equals(b.get(4)) && !"OFFERED".equals(b.get(4)) && !"PENDING".equals(b.get(4))) {
            throw BackupProblem.taskEnded("the task of upload " + uploadId + " has ended");
        }
        String name = b.string(1);
        long have = partLength(name);
        // Less than the console holds is fine: the bytes from offset on are written again, identical, since an
        // upload is bound to one checksum. (The writes of a broken connection may still land after a status answer.)
        if (offset > have) {
            throw BackupProblem.offsetMismatch(have);
        }
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(storage.part(name))) {
            byte[] buf = new byte[256 * 1024];
            long left = offset;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw BackupProblem.offsetMismatch(offset - left);
                }
                digest.update(buf, 0, n);
                left -= n;
            }
        } catch (IOException e) {
            throw BackupProblem.of(BackupFailureKind.STORAGE_UNAVAILABLE, "cannot read the partial upload: " + e.getMessage());
        }
        return new Target(uploadId, b.uuid(0), name, storage.part(name), b.longValue(2), b.string(3),
                offset, digest);
    }

    /** Records how far an upload got (for progress, and so a stall is noticed). */
    @Transactional
    public void progress(Target t, long received) {
        em.createNativeQuery("update backups set received_bytes = ?1 where id = ?2").setParameter(1, received)
                .setParameter(2, t.backupId()).executeUpdate();
        touch(t.taskId(), received, clock.instant());
    }

    /**
     * After a PUT's body: an incomplete upload waits for the rest; a complete one is checked against its
     * SHA-256 and stored (the oldest backups beyond the number kept are deleted) or refused.
     */
    @Transactional
    public Start finish(Target t, long received, String sha256) {
        if (received < t.size()) {
            progress(t, received);
            return new Start(new BackupUploadStatus(t.backupId(), received, t.size(), false), null);
        }
        if (received > t.size() || !sha256.equals(t.sha256())) {
            String reason = received > t.size()
                    ? "the sensor sent more than the " + t.size() + " bytes it announced"
                    : "the " + received + " bytes received have SHA-256 " + sha256 + " but the sensor announced " + t.sha256()
                    + "; the upload is discarded";
            tasks.fail(t.taskId(), BackupFailureKind.CHECKSUM_MISMATCH, reason);
            return new Start(null, BackupProblem.of(BackupFailureKind.CHECKSUM_MISMATCH, reason));
        }
        try {
            sealOnArrival(t);
            storage.commit(t.storageName());
        } catch (IOException e) {
            String reason = "cannot store the checked upload in " + storage.root() + ": " + e.getMessage();
            tasks.fail(t.taskId(), BackupFailureKind.STORAGE_UNAVAILABLE, reason);
            return new Start(null, BackupProblem.of(BackupFailureKind.STORAGE_UNAVAILABLE, reason));
        }
        Instant now = clock.instant();
        em.createNativeQuery("update backups set state = 'STORED', stored_at = ?1, received_bytes = size_bytes where id = ?2")
                .setParameter(1, now).setParameter(2, t.backupId()).executeUpdate();
        em.createNativeQuery("update backup_tasks set state = 'DONE', bytes_done = ?1, finished_at = ?2, updated_at = ?2 "
                        + "where id = ?3").setParameter(1, t.size()).setParameter(2, now).setParameter(3, t.taskId())
                .executeUpdate();
        retain(t.backupId());
        tasks.announce();
        return new Start(new BackupUploadStatus(t.backupId(), t.size(), t.size(), true), null);
    }

    /**
     * A backup from an agent that does not seal yet holds {@code config/secrets.conf} in clear: the
     * console seals it before the file is stored, so storage never holds a secret in clear. The file
     * is rewritten (checked first against the sensor's checksum, which is kept), so its SHA-256 and
     * size are the new file's. A file that is not a readable archive is stored as it came.
     */
    private void sealOnArrival(Target t) throws IOException {
        SecretsInArchive.Found found;
        try {
            found = SecretsInArchive.find(t.part());
        } catch (IOException e) {
            return;
        }
        if (found.kind() != SecretsInArchive.Kind.CLEAR) {
            return;
        }
        Path scratch = storage.createScratch(t.storageName());
        String sha = SecretsInArchive.sealClear(t.part(), scratch, sealing.publicKey());
        long size = Files.size(scratch);
        storage.replacePart(t.storageName());
        em.createNativeQuery("update backups set sha256 = ?1, size_bytes = ?2, sealed_on_arrival_from = ?3 where id = ?4")
                .setParameter(1, sha).setParameter(2, size).setParameter(3, t.sha256()).setParameter(4, t.backupId())
                .executeUpdate();
    }

    /** Keeps the newest {@code keep} stored backups of the sensor that owns {@code stored}. */
    @SuppressWarnings("unchecked")
    private void retain(UUID stored) {
        List<String> gone = em.createNativeQuery("delete from backups where id in (select id from backups "
                        + "where state = 'STORED' and sensor_id = (select sensor_id from backups where id = ?1) "
                        + "order by stored_at desc, created_at desc offset ?2) returning storage_name")
                .setParameter(1, stored).setParameter(2, config.keep()).getResultList();
        AfterCommit.run(() -> gone.forEach(storage::delete));
    }

    private void touch(UUID taskId, long done, Instant now) {
        em.createNativeQuery("update backup_tasks set bytes_done = ?1, updated_at = ?2, "
                        + "state = case when state in ('PENDING', 'OFFERED') then 'RUNNING' else state end, "
                        + "started_at = coalesce(started_at, ?2) where id = ?3 and state in ('PENDING', 'OFFERED', 'RUNNING')")
                .setParameter(1, done).setParameter(2, now).setParameter(3, taskId).executeUpdate();
    }

    private long partLength(String storageName) {
        Path part = storage.part(storageName);
        try {
            if (!Files.exists(part)) {
                storage.createPart(storageName);
                return 0;
            }
            return Files.size(part);
        } catch (IOException e) {
            throw BackupProblem.of(BackupFailureKind.STORAGE_UNAVAILABLE, "cannot read the partial upload: " + e.getMessage());
        }
    }

    private static void validate(BackupUploadRequest r) {
        if (r == null || r.taskId() == null || r.fileName() == null || r.takenAt() == null) {
            throw ProblemException.badRequest("taskId, fileName, size, sha256, softwareVersion and takenAt are required");
        }
        if (r.size() < MIN_BACKUP_SIZE) {
            throw ProblemException.badRequest("size: a backup has at least " + MIN_BACKUP_SIZE + " bytes");
        }
        if (!BackupNames.isSha256(r.sha256())) {
            throw ProblemException.badRequest("sha256: 64 lowercase hex digits");
        }
        if (!Versions.valid(r.softwareVersion())) {
            throw ProblemException.badRequest("softwareVersion: letters, digits and . + _ - only, at most 64");
        }
        if (r.fileName().length() > 1000) {
            throw ProblemException.badRequest("fileName: at most 1000 characters");
        }
    }

    static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private Sql.Row row(String sql, Object... params) {
        return Sql.row(em, sql, params);
    }
}
