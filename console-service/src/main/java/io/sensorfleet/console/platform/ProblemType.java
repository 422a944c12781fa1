package io.sensorfleet.console.platform;

import io.sensorfleet.protocol.v1.Problem;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of error the console reports, on both planes: its HTTP status, its type (the URI
 * {@code urn:sensorfleet:problem:<slug>}) and its title. Declared here once; the operator API's
 * exception mapper, the agent plane and the body-limit guard all render from it, and
 * {@code docs/architecture.md} lists it (a test compares the two). Clients, the agent among them,
 * act on the type, so a slug never changes meaning once shipped.
 */
public enum ProblemType {
    // Any request
    INVALID_REQUEST(400, "invalid-request", "Invalid request"),
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    FORBIDDEN(403, "forbidden", "Forbidden"),
    NOT_FOUND(404, "not-found", "Not found"),
    LENGTH_REQUIRED(411, "length-required", "Length required"),
    TOO_LARGE(413, "too-large", "Request too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    RANGE_NOT_SATISFIABLE(416, "range-not-satisfiable", "Range not satisfiable"),
    BUSY(429, "busy", "Too many requests"),
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    DATABASE_UNAVAILABLE(503, "database-unavailable", "Service unavailable"),

    // Operators and their sign-in
    INVALID_CREDENTIALS(401, "invalid-credentials", "Invalid credentials"),
    WRONG_PASSWORD(403, "wrong-password", "Wrong password"),
    WEAK_PASSWORD(400, "weak-password", "Weak password"),
    TOO_MANY_FAILED_LOGINS(429, "too-many-failed-logins", "Too many failed logins"),
    USER_EXISTS(409, "user-exists", "Conflict"),
    SELF_LOCKOUT(409, "self-lockout", "Conflict"),

    // Sensors' identity on the agent plane
    CLIENT_CERTIFICATE_REQUIRED(401, "client-certificate-required", "Client certificate required"),
    CERTIFICATE_REVOKED(403, "certificate-revoked", "Certificate revoked"),
    NOT_A_SENSOR_CERTIFICATE(403, "not-a-sensor-certificate", "Not a sensor certificate"),

    // Enrollment and certificates
    TOKEN_UNKNOWN(401, "token-unknown", "Enrollment refused"),
    TOKEN_EXPIRED(401, "token-expired", "Enrollment refused"),
    TOKEN_REVOKED(401, "token-revoked", "Enrollment refused"),
    TOKEN_USED(409, "token-used", "Connection string already used"),
    INVALID_CSR(400, "invalid-csr", "Invalid certificate request"),
    CERTIFICATE_INVALID(400, "certificate-invalid", "Certificate refused"),

    // Activation and alerts
    SENSOR_UNKNOWN(409, "sensor-unknown", "Activation rejected"),
    ACTIVATION_SUPERSEDED(409, "activation-superseded", "Activation rejected"),
    ACTIVATION_UNKNOWN(404, "activation-unknown", "Not found"),
    LAST_KEY(409, "last-key", "Conflict"),
    ALERT_NOT_STORED(503, "unavailable", "Alert not stored"),

    // Organisation, settings, forwarding, maintenance
    NAME_TAKEN(409, "name-taken", "Conflict"),
    NOT_EMPTY(409, "not-empty", "Conflict"),
    ZONE_NOT_EMPTY(409, "zone-not-empty", "Conflict"),
    INVALID_SETTING(400, "invalid-setting", "Invalid setting"),
    CONFIRMATION_REQUIRED(409, "confirmation-required", "Confirmation required"),
    NOTHING_TO_COPY(409, "nothing-to-copy", "Conflict"),
    RULE_EXISTS(409, "rule-exists", "Conflict"),
    DELIVERY_PENDING(409, "delivery-pending", "Conflict"),
    MAINTENANCE_WINDOW_OPEN(409, "maintenance-window-open", "Conflict"),

    // Backups
    SENSOR_BUSY(409, "sensor-busy", "Sensor busy"),
    TASK_ENDED(409, "task-ended", "Task ended"),
    OFFSET_MISMATCH(409, "offset-mismatch", "Offset mismatch"),
    ALLOCATION_EXCEEDED(409, "allocation-exceeded", "Allocation exceeded"),
    NO_SPACE(507, "no-space", "Insufficient storage"),
    STORAGE_UNAVAILABLE(503, "storage-unavailable", "Storage unavailable"),
    CHECKSUM_MISMATCH(422, "checksum-mismatch", "Checksum mismatch"),
    VERSION_MISMATCH(409, "version-mismatch", "Version mismatch"),
    BACKUP_FAILED(409, "backup-failed", "Backup failed"),
    BACKUP_NOT_FOUND(404, "backup-not-found", "Backup not found"),
    BACKUP_IN_USE(409, "backup-in-use", "Backup in use"),
    BACKUP_FILE_MISSING(409, "backup-file-missing", "Conflict"),
    SENSOR_GONE(409, "sensor-gone", "Conflict"),

    // Software updates
    PACKAGE_UNSIGNED(422, "package-unsigned", "Package not signed"),
    PACKAGE_UNKNOWN_KEY(422, "package-unknown-key", "Package signed with an unknown key"),
    PACKAGE_BAD_SIGNATURE(422, "package-bad-signature", "Package signature does not verify"),
    PACKAGE_DIGEST_MISMATCH(422, "package-digest-mismatch", "Package payload digest mismatch"),
    PACKAGE_MALFORMED_MANIFEST(422, "package-malformed-manifest", "Malformed package manifest"),
    PACKAGE_MALFORMED(422, "package-malformed", "Malformed package"),
    PACKAGE_TRUNCATED(400, "package-truncated", "Truncated package upload"),
    PACKAGE_TOO_LARGE(413, "package-too-large", "Package too large"),
    VERSION_NEWER_THAN_CONSOLE(422, "version-newer-than-console", "Version newer than the console"),
    DUPLICATE_VERSION(409, "duplicate-version", "Version already uploaded"),
    ROLLOUT_STATE(409, "rollout-state", "Not possible in the rollout's state"),
    UPDATE_TASK_ENDED(409, "update-task-ended", "Update task ended");

    private static final Map<String, ProblemType> BY_SLUG = Arrays.stream(values())
            .collect(Collectors.toMap(ProblemType::slug, Function.identity()));

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The short kind, e.g. {@code token-expired}. */
    public String slug() {
        return slug;
    }

    /** {@code urn:sensorfleet:problem:<slug>}. */
    public String uri() {
        return Problem.TYPE_PREFIX + slug;
    }

    public String title() {
        return title;
    }

    /** The entry with this slug, if the table has one. */
    public static Optional<ProblemType> bySlug(String slug) {
        return Optional.ofNullable(BY_SLUG.get(slug));
    }
}
