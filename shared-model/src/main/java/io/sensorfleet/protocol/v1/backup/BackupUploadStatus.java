package io.sensorfleet.protocol.v1.backup;

import io.sensorfleet.protocol.v1.AgentPaths;
import java.util.UUID;

/**
 * The console's view of an upload; all fields always present.
 *
 * @param uploadId  where to PUT the bytes ({@link AgentPaths#backupUpload(UUID)})
 * @param received  bytes the console holds; send the rest from this offset
 * @param size      the announced length
 * @param complete  true once every byte arrived and the SHA-256 matched: the backup is stored
 */
public record BackupUploadStatus(UUID uploadId, long received, long size, boolean complete) {
}
