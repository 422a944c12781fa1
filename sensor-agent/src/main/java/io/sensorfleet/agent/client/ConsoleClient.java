package io.sensorfleet.agent.client;

import io.sensorfleet.lib.json.Json;
import io.sensorfleet.agent.AgentJson;
import io.sensorfleet.protocol.v1.activation.ActivationInstalled;
import io.sensorfleet.protocol.v1.activation.ActivationKeyList;
import io.sensorfleet.protocol.v1.enrollment.AgentAddress;
import io.sensorfleet.protocol.v1.AgentPaths;
import io.sensorfleet.protocol.v1.alerts.AlertReceipt;
import io.sensorfleet.protocol.v1.alerts.AlertReport;
import io.sensorfleet.protocol.v1.enrollment.EnrollRequest;
import io.sensorfleet.protocol.v1.enrollment.EnrollResponse;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatRequest;
import io.sensorfleet.protocol.v1.heartbeat.HeartbeatResponse;
import io.sensorfleet.protocol.v1.Problem;
import io.sensorfleet.protocol.v1.enrollment.RenewRequest;
import io.sensorfleet.protocol.v1.settings.SettingsAck;
import io.sensorfleet.protocol.v1.settings.SettingsPush;
import io.sensorfleet.protocol.v1.work.Work;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Calls to the console's agent plane over one {@link HttpClient}, i.e. one TLS identity: build
 * a new client when the identity changes (enrollment, renewal). Which address to call is the
 * caller's choice, so that enrollment and heartbeats can each fail over their own way.
 */
public final class ConsoleClient implements AutoCloseable {
    private static final String ACCEPT = "application/json, " + Problem.MEDIA_TYPE;

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Json json = AgentJson.mapper();
    /** So that a reconnection after a console restart resumes the TLS session ({@link TlsSessionKeeper}). */
    private final TlsSessionKeeper sessions;

    /** For callers that tune the HttpClient themselves (e.g. a simulator sharing an executor). */
    public ConsoleClient(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.sessions = new TlsSessionKeeper(http.sslContext());
    }

    public static ConsoleClient create(SSLContext sslContext, Duration requestTimeout) {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(sslContext)
                .sslParameters(AgentTls.parameters())
                // One request at a time per agent: HTTP/2 would add nothing but ALPN surprises.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new ConsoleClient(http, requestTimeout);
    }

    /** How many TLS sessions this client holds for its next connection; for tests. */
    int keptSessions() {
        return sessions.kept();
    }

    /** Over the pinned context: no client certificate, authenticated by the token. */
    public EnrollResponse enroll(AgentAddress address, EnrollRequest request) throws ConsoleCallException {
        return post(address, AgentPaths.ENROLL, request, EnrollResponse.class);
    }

    public HeartbeatResponse heartbeat(AgentAddress address, HeartbeatRequest request) throws ConsoleCallException {
        return post(address, AgentPaths.HEARTBEAT, request, HeartbeatResponse.class);
    }

    public EnrollResponse renew(AgentAddress address, RenewRequest request) throws ConsoleCallException {
        return post(address, AgentPaths.RENEW, request, EnrollResponse.class);
    }

    /**
     * The settings long-poll: the sensor's settings as soon as its desired revision differs from
     * {@code known}, or empty when {@code wait} passes without a change.
     */
    public java.util.Optional<SettingsPush> settings(AgentAddress address, long known, Duration wait)
            throws ConsoleCallException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address.baseUri() + AgentPaths.SETTINGS
                        + "?known=" + known + "&waitSeconds=" + wait.toSeconds()))
                .timeout(wait.plus(requestTimeout))
                .header("Accept", ACCEPT)
                .GET().build();
        HttpResponse<byte[]> response = send(address, request);
        if (response.statusCode() == 204) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(read(address, response, AgentPaths.SETTINGS, SettingsPush.class));
    }

    /**
     * The one work long-poll: what the console wants from this sensor (settings newer than
     * {@code settingsKnown}, a backup/restore task, an update task), or empty when {@code wait}
     * passes with nothing. A console older than the work channel answers 404 (a ConsoleException).
     */
    public java.util.Optional<Work> work(AgentAddress address, long settingsKnown, Duration wait)
            throws ConsoleCallException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address.baseUri() + AgentPaths.WORK
                        + "?settingsKnown=" + settingsKnown + "&waitSeconds=" + wait.toSeconds()))
                .timeout(wait.plus(requestTimeout))
                .header("Accept", ACCEPT)
                .GET().build();
        HttpResponse<byte[]> response = send(address, request);
        if (response.statusCode() == 204) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(read(address, response, AgentPaths.WORK, Work.class));
    }

    public void ackSettings(AgentAddress address, SettingsAck ack) throws ConsoleCallException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address.baseUri() + AgentPaths.SETTINGS_ACK))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(ack)))
                .build();
        HttpResponse<byte[]> response = send(address, request);
        if (response.statusCode() >= 300) {
            throw new ConsoleException(address, response.statusCode(), problem(response),
                    RetryAfter.parse(response.headers()));
        }
    }

    public ActivationKeyList activationKeys(AgentAddress address) throws ConsoleCallException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address.baseUri() + AgentPaths.ACTIVATION_KEYS))
                .timeout(requestTimeout).header("Accept", ACCEPT).GET().build();
        return read(address, send(address, request), AgentPaths.ACTIVATION_KEYS, ActivationKeyList.class);
    }

    /** Tells the console a file was installed; a ConsoleException means it rejects the file. */
    public void activationInstalled(AgentAddress address, ActivationInstalled installed) throws ConsoleCallException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address.baseUri() + AgentPaths.ACTIVATION))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(installed)))
                .build();
        HttpResponse<byte[]> response = send(address, request);
        if (response.statusCode() >= 300) {
            throw new ConsoleException(address, response.statusCode(), problem(response),
                    RetryAfter.parse(response.headers()));
        }
    }

    /** Over mTLS; a resend of an alert the console already has is accepted as a duplicate. */
    public AlertReceipt alert(AgentAddress address, AlertReport report) throws ConsoleCallException {
        return post(address, AgentPaths.ALERTS, report, AlertReceipt.class);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private <T> T post(AgentAddress address, String path, Object body, Class<T> type) throws ConsoleCallException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address.baseUri() + path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(body)))
                .build();
        return read(address, send(address, request), path, type);
    }

    private HttpResponse<byte[]> send(AgentAddress address, HttpRequest request) throws ConsoleCallException {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            sessions.keepCurrent();
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleUnreachableException(address, "call to console at " + address + " was interrupted", e);
        } catch (IOException e) {
            throw unreachable(address, e);
        }
    }

    private <T> T read(AgentAddress address, HttpResponse<byte[]> response, String path, Class<T> type)
            throws ConsoleCallException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return json.readValue(response.body(), type);
            } catch (IOException e) {
                throw new ConsoleException(address, status, new Problem(null, "Invalid response", status,
                        "the body is not a valid " + type.getSimpleName(), path), null);
            }
        }
        throw new ConsoleException(address, status, problem(response), RetryAfter.parse(response.headers()));
    }

    private Problem problem(HttpResponse<byte[]> response) {
        boolean isJson = response.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(false);
        if (!isJson || response.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(response.body(), Problem.class);
        } catch (IOException e) {
            // An error page from a proxy in front of the console: the status alone must do.
            return null;
        }
    }

    private ConsoleUnreachableException unreachable(AgentAddress address, IOException e) {
        CaNotPinnedException pin = cause(e, CaNotPinnedException.class);
        if (pin != null) {
            return new CaMismatchException(address, pin);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new ConsoleUnreachableException(address, "console at " + address
                    + " did not accept a connection within " + requestTimeout.toSeconds() + " s", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new ConsoleUnreachableException(address, "console at " + address
                    + " did not answer within " + requestTimeout.toSeconds() + " s", e);
        }
        if (cause(e, SSLException.class) != null) {
            return new ConsoleUnreachableException(address, "TLS handshake with console at " + address
                    + " failed: " + reason(e), e);
        }
        if (cause(e, ConnectException.class) != null) {
            // java.net.http reports a refused connection as a ConnectException without any message.
            String reason = hasMessage(e) ? reason(e) : "connection refused";
            return new ConsoleUnreachableException(address, "cannot connect to console at " + address
                    + ": " + reason, e, true);
        }
        return new ConsoleUnreachableException(address, "cannot reach console at " + address + ": " + reason(e), e);
    }

    private byte[] toJson(Object body) {
        return json.writeValueAsBytes(body);
    }

    private static <X extends Throwable> X cause(Throwable t, Class<X> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static boolean hasMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return true;
            }
        }
        return false;
    }

    /** The most specific message in the cause chain; java.net.http often throws with none at the top. */
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
