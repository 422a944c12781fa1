package io.sensorfleet.protocol.v1.update;

import io.sensorfleet.protocol.v1.AgentPaths;
import java.util.List;
import java.util.UUID;

/**
 * An update the console hands a sensor on the update long-poll ({@link AgentPaths#UPDATE_TASKS}).
 *
 * @param taskId        identifies the task in every progress report; always present
 * @param packageId     the package to download from {@link AgentPaths#updatePackage(UUID)}; always present
 * @param version       the version the package installs; always present
 * @param size          the package file's size in bytes; always present
 * @param sha256        SHA-256 (hex) of the whole package file, checked after the download; always present
 * @param trustedKeys   PEM public keys the console trusts for packages; informational only: a sensor checks
 *                      packages against the vendor keys pinned on it, never against these
 * @param stageTimeoutSeconds how long the console waits in any one stage before it gives the update up
 * @param watchSeconds  how long after the hand-over the sensor keeps the previous version and rolls back to
 *                      it if the new one crashes, never reports a heartbeat or reports FAILED health;
 *                      optional (added in 22.6: absent, the sensor uses its own {@code update.watchSeconds})
 */
public record UpdateTask(UUID taskId, UUID packageId, String version, long size, String sha256,
                         List<String> trustedKeys, long stageTimeoutSeconds, Long watchSeconds) {
}
