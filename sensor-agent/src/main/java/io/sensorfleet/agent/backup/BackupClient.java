package io.sensorfleet.agent.backup;

import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.agent.client.AgentTls;
import io.sensorfleet.agent.client.ConsoleCallException;
import io.sensorfleet.agent.client.ConsoleException;
import io.sensorfleet.agent.client.ConsoleUnreachableException;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.backup.BackupTask;
import io.sensorfleet.protocol.v1.backup.BackupTaskResult;
import io.sensorfleet.protocol.v1.backup.BackupUploadRequest;
import io.sensorfleet.protocol.v1.backup.BackupUploadStatus;
import io.sensorfleet.protocol.v1.Problem;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The transfer calls of the agent plane over mutual TLS: task long-polls, resumable uploads
 * (the body streamed from the file, never held in memory) and downloads (appended to a partial
 * file, resumed with {@code Range}), and results. Backups use it, and so do software updates.
 */
public final class BackupClient implements AutoCloseable {
    private static final String ACCEPT = "application/json, " + Problem.MEDIA_TYPE;
    /** Slowest link an upload or download is given time for before it counts as stalled (then resumed). */
    private static final long MIN_BYTES_PER_SECOND = 100 * 1024;

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Json json = AgentJson.mapper();

    /** Over a client shared with the other calls of the agent (see ConsoleSession). */
    public BackupClient(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Over a client of its own whose TLS and body work runs on {@code executor} (the fleet simulator
     * runs its uploads on low-priority threads there; see BackupUploaders).
     */
    public BackupClient(SSLContext mutualTls, Duration requestTimeout, Executor executor) {
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .sslContext(mutualTls)
                .sslParameters(AgentTls.parameters())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /** Waits up to {@code wait} for work; empty when there is none. */
    public Optional<BackupTask> nextTask(AgentAddress address, Duration wait) throws ConsoleCallException {
        return poll(address, AgentPaths.BACKUP_TASKS, wait, BackupTask.class);
    }

    /** A long-poll of the agent plane at {@code path}: the work it answers, or empty after {@code wait}. */
    public <T> Optional<T> poll(AgentAddress address, String path, Duration wait, Class<T> type) throws ConsoleCallException {
        HttpRequest r = HttpRequest.newBuilder(uri(address, path + "?waitSeconds=" + wait.toSeconds()))
                .timeout(wait.plus(requestTimeout)).header("Accept", ACCEPT).GET().build();
        HttpResponse<byte[]> response = send(address, r);
        if (response.statusCode() == 204) {
            return Optional.empty();
        }
        return Optional.of(read(address, response, type));
    }

    public BackupUploadStatus startUpload(AgentAddress address, BackupUploadRequest request) throws ConsoleCallException {
        return read(address, send(address, post(address, AgentPaths.BACKUP_UPLOADS, request)), BackupUploadStatus.class);
    }

    /** Sends {@code file} from {@code offset} to its end. */
    public BackupUploadStatus upload(AgentAddress address, UUID uploadId, Path file, long offset, long size)
            throws ConsoleCallException {
        long length = size - offset;
        HttpRequest r = HttpRequest.newBuilder(uri(address, AgentPaths.backupUpload(uploadId) + "?offset=" + offset))
                .timeout(transferTimeout(length))
                .header("Content-Type", "application/octet-stream")
                .header("Accept", ACCEPT)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> from(file, offset)),
                        length))
                .build();
        return read(address, send(address, r), BackupUploadStatus.class);
    }

    /**
     * Downloads a backup into {@code target}, continuing after the bytes it already holds.
     *
     * @return the length of {@code target} afterwards
     */
    public long download(AgentAddress address, UUID backupId, Path target, long size) throws ConsoleCallException {
        return download(address, AgentPaths.backupContent(backupId), target, size);
    }

    /** Downloads the file at {@code path} of the agent plane into {@code target}, continuing after what it holds. */
    public long download(AgentAddress address, String path, Path target, long size) throws ConsoleCallException {
        long have = target.toFile().length();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(address, path))
                .timeout(transferTimeout(size - have)).header("Accept", "application/octet-stream, " + Problem.MEDIA_TYPE);
        if (have > 0) {
            b.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<Object> response;
        try {
            response = http.send(b.GET().build(), info -> {
                if (info.statusCode() == 200 || info.statusCode() == 206) {
                    if (info.statusCode() == 200 && have > 0) {
                        truncate(target); // the console sent everything: start over
                    }
                    return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofFile(target,
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), p -> (Object) p);
                }
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), x -> (Object) x);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleUnreachableException(address, "download from " + address + " was interrupted", e);
        } catch (IOException e) {
            throw new ConsoleUnreachableException(address, "download from console at " + address + " broke off: " + reason(e), e);
        }
        if (response.statusCode() != 200 && response.statusCode() != 206) {
            throw new ConsoleException(address, response.statusCode(), problem((byte[]) response.body()), null);
        }
        return target.toFile().length();
    }

    public void report(AgentAddress address, BackupTaskResult result) throws ConsoleCallException {
        postNoContent(address, AgentPaths.BACKUP_RESULTS, result);
    }

    /** POSTs a JSON body whose answer has no content; a refusal is a {@link ConsoleException}. */
    public void postNoContent(AgentAddress address, String path, Object body) throws ConsoleCallException {
        HttpResponse<byte[]> response = send(address, post(address, path, body));
        if (response.statusCode() >= 300) {
            throw new ConsoleException(address, response.statusCode(), problem(response.body()), null);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private Duration transferTimeout(long bytes) {
        return requestTimeout.plus(Duration.ofSeconds(Math.max(60, bytes / MIN_BYTES_PER_SECOND)));
    }

    private HttpRequest post(AgentAddress address, String path, Object body) {
        return HttpRequest.newBuilder(uri(address, path)).timeout(requestTimeout)
                .header("Content-Type", "application/json").header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
    }

    private HttpResponse<byte[]> send(AgentAddress address, HttpRequest request) throws ConsoleCallException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleUnreachableException(address, "call to console at " + address + " was interrupted", e);
        } catch (IOException e) {
            throw new ConsoleUnreachableException(address, "cannot reach console at " + address + ": " + reason(e), e);
        }
    }

    private <T> T read(AgentAddress address, HttpResponse<byte[]> response, Class<T> type) throws ConsoleCallException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return json.readValue(response.body(), type);
            } catch (IOException e) {
                throw new ConsoleException(address, status, new Problem(null, "Invalid response", status,
                        "the body is not a valid " + type.getSimpleName(), null), null);
            }
        }
        throw new ConsoleException(address, status, problem(response.body()), null);
    }

    private Problem problem(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : json.readValue(body, Problem.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static URI uri(AgentAddress address, String pathAndQuery) {
        return URI.create(address.baseUri() + pathAndQuery);
    }

    private static InputStream from(Path file, long offset) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(offset);
            return in;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void truncate(Path target) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String reason(Throwable t) {
        String reason = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                reason = c.getMessage();
            }
        }
        return reason != null ? reason.replaceAll("\\s*[\\r\\n]+\\s*", " ") : t.getClass().getSimpleName();
    }
}
