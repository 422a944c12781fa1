package io.sensorfleet.protocol.v1.update;

import java.util.UUID;

/**
 * A sensor's report on its update task; sent at every stage change and while downloading.
 *
 * @param taskId  the task; required
 * @param stage   the stage reached; required, never QUEUED
 * @param percent progress within the stage, 0–100; optional
 * @param detail  one line for people (for FAILED and ROLLED_BACK: why); required for those two
 * @param log     for FAILED and ROLLED_BACK: the health check's output or the error, at most 64 KiB; optional
 * @param version the version the sensor runs after this stage; optional
 */
public record UpdateProgress(UUID taskId, UpdateStage stage, Integer percent, String detail, String log,
                             String version) {
}
