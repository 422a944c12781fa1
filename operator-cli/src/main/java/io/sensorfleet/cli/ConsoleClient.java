package io.sensorfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's public REST API (/api/v1) over HTTPS with a bearer token. Maps answers to the
 * CLI's exit codes: 401 is "not logged in" (4), any other refusal is the console's problem (1),
 * no connection or an untrusted certificate is 3.
 */
public final class ConsoleClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI console;
    private final String token;
    private final HttpClient http;
    private final boolean login;

    public ConsoleClient(URI console, String token, Path caFile) {
        this(console, token, caFile, false);
    }

    private ConsoleClient(URI console, String token, Path caFile, boolean login) {
        this.console = console;
        this.token = token;
        this.login = login;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(Tls.context(caFile)).build();
    }

    /** A client for the login call only: there a 401 is wrong credentials, a refusal (1), not "not logged in" (4). */
    public static ConsoleClient forLogin(URI console, Path caFile) {
        return new ConsoleClient(console, null, caFile, true);
    }

    public URI console() {
        return console;
    }

    public JsonNode get(String path, Map<String, ?> query) {
        return send("GET", path + queryString(query), null);
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder b = request(path).timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        try {
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot encode the request: " + e.getMessage());
        }
        HttpResponse<String> r = exchange(b.build(), HttpResponse.BodyHandlers.ofString());
        return answer(r.statusCode(), r.body(), login);
    }

    /**
     * Streams a GET answer (an export) to the sink as it arrives, however long it is; a refusal
     * ends in the console's problem, as for every other call.
     */
    public void download(String path, Map<String, ?> query, Sink sink) {
        HttpResponse<java.io.InputStream> r = exchange(request(path + queryString(query)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = r.body()) {
            if (r.statusCode() < 200 || r.statusCode() >= 300) {
                answer(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8), login);
            }
            sink.accept(in);
        } catch (IOException e) {
            throw CliException.unreachable("the answer of " + console + " broke off: " + describe(e));
        }
    }

    /** Takes a streamed answer. */
    @FunctionalInterface
    public interface Sink {
        void accept(java.io.InputStream in) throws IOException;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(console.resolve(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (SSLException e) {
            throw CliException.unreachable("TLS with " + console + " failed: " + e.getMessage()
                    + " (is the CA file given at login, --ca, the one that signed the console's certificate?)");
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw CliException.unreachable("cannot reach " + console + ": " + describe(e));
        } catch (HttpTimeoutException e) {
            throw CliException.unreachable(console + " did not answer in time");
        } catch (IOException e) {
            if (e.getCause() instanceof SSLException ssl) {
                throw CliException.unreachable("TLS with " + console + " failed: " + ssl.getMessage());
            }
            throw CliException.unreachable("cannot reach " + console + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unreachable("interrupted");
        }
    }

    static JsonNode answer(int status, String body) {
        return answer(status, body, false);
    }

    static JsonNode answer(int status, String body, boolean login) {
        if (status >= 200 && status < 300) {
            if (body == null || body.isBlank()) {
                return NullNode.getInstance();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliException(CliException.REFUSED, "the console answered " + status + " with something that is not JSON");
            }
        }
        String problem = problem(status, body);
        if (status == 401 && !login) {
            throw CliException.notLoggedIn("not logged in, or the token expired or was withdrawn (" + problem
                    + "): run 'sensorfleet login'");
        }
        throw new CliException(CliException.REFUSED, problem);
    }

    /** "title: detail" of an RFC 9457 problem, or the status when the body is not one. */
    static String problem(int status, String body) {
        try {
            JsonNode p = JSON.readTree(body == null ? "" : body);
            if (p != null && p.isObject() && p.hasNonNull("title")) {
                String title = p.get("title").asText();
                String detail = p.path("detail").asText("");
                return detail.isEmpty() ? title + " (" + status + ")" : title + " (" + status + "): " + detail;
            }
        } catch (IOException e) {
            // not a problem document: fall through to the status alone
        }
        return "HTTP " + status;
    }

    static String queryString(Map<String, ?> query) {
        Map<String, Object> present = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (v != null) {
                present.put(k, v);
            }
        });
        if (present.isEmpty()) {
            return "";
        }
        return "?" + present.entrySet().stream()
                .flatMap(e -> (e.getValue() instanceof java.util.Collection<?> c ? c.stream() : java.util.stream.Stream.of(e.getValue()))
                        .map(v -> enc(e.getKey()) + "=" + enc(String.valueOf(v))))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        if (m != null && !m.isBlank()) {
            return m;
        }
        return e instanceof ConnectException ? "connection refused or no route" : e.getClass().getSimpleName();
    }
}
